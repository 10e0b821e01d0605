"""Pages that edit an object together with the rows under it: a memorandum and its
signatories, a working group and its members."""

from django.core.exceptions import ValidationError


def edit_with_rows(request, *, instance, form_class, formset_class, prefix, save, initial=None):
    """Returns (form, formset, saved). On GET both are unbound (the form with
    ``initial``); on POST both are bound (uploaded files included) and, when both are
    valid, ``save(unsaved object, form.cleaned_data, formset.rows())`` — a service
    call — gives ``saved``. A ValidationError of the service lands on the form."""
    if request.method != "POST":
        form = form_class(instance=instance, initial=initial, user=request.user)
        return form, formset_class(instance=instance, user=request.user, prefix=prefix), None
    form = form_class(request.POST, request.FILES, instance=instance, user=request.user)
    formset = formset_class(request.POST, instance=instance, user=request.user, prefix=prefix)
    saved = None
    if form.is_valid() and formset.is_valid():
        try:
            saved = save(form.save(commit=False), form.cleaned_data, formset.rows())
        except ValidationError as error:
            form.add_error(None, error)
    return form, formset, saved
