from django.template.loader import render_to_string


class MethodNotAllowedPageMiddleware:
    """Give a 405 a page a person can read.

    Actions (accept, decline, confirm, delete…) answer POST only, and Django answers a GET on them
    with an empty 405. Someone who bookmarked such an address or reloaded it gets a blank page; this
    keeps the 405 status and the Allow header and fills the body with an explanation and a way back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and request.method in ("GET", "HEAD"):
            response.content = render_to_string("405.html", request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response
