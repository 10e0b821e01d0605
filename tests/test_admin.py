"""Every admin changelist, add page and import/export page renders for a superuser."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_demo(client, django_user_model):
    call_command("seed_demo", verbosity=0)
    client.force_login(django_user_model.objects.get(username="admin"))
    return client


def model_admin_urls():
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        yield f"admin:{info[0]}_{info[1]}_changelist"
        # Records made only by the portal (background jobs, queue entries) have no add page.
        if type(model_admin).has_add_permission is admin.ModelAdmin.has_add_permission:
            yield f"admin:{info[0]}_{info[1]}_add"


def test_it_renders_every_changelist_and_add_page(admin_client_demo):
    # One test over every registered model (seeding the demo once, not 30 times).
    failures = {}
    for name in model_admin_urls():
        response = admin_client_demo.get(reverse(name))
        if response.status_code != 200:
            failures[name] = response.status_code
    assert failures == {}


def test_it_registers_every_model_of_the_portal():
    from django.apps import apps

    for app in ("schools", "programs"):
        for model in apps.get_app_config(app).get_models():
            if not model.__name__.startswith("Historical"):
                assert admin.site.is_registered(model), model.__name__


def test_it_searches_organizations_without_diacritics(admin_client_demo):
    response = admin_client_demo.get(reverse("admin:schools_organization_changelist"), {"q": "tay mo"})
    assert "Trường THCS Tây Mỗ" in response.text


def test_it_renders_a_change_page_with_its_history(admin_client_demo):
    from programs.models import Pair

    pair = Pair.objects.get(code="hn-lb-ml")
    assert admin_client_demo.get(reverse("admin:programs_pair_change", args=[pair.pk])).status_code == 200
    history = admin_client_demo.get(reverse("admin:programs_pair_history", args=[pair.pk]))
    assert history.status_code == 200


@pytest.mark.parametrize("model", ["schools_organization", "programs_pair", "programs_donation"])
def test_it_offers_import_and_export(admin_client_demo, model):
    assert admin_client_demo.get(reverse(f"admin:{model}_import")).status_code == 200
    assert admin_client_demo.get(reverse(f"admin:{model}_export")).status_code == 200


def test_it_is_in_vietnamese(admin_client_demo):
    response = admin_client_demo.get(reverse("admin:index"))
    assert "Kết nghĩa – quản trị" in response.text
    assert "Cặp kết nghĩa" in response.text


def test_it_refuses_the_admin_to_staff_without_admin_rights(client, cast):
    client.force_login(cast.users.officer_ntl)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_it_applies_the_level_and_date_rules_in_the_admin(admin_client_demo, django_user_model):
    from django.test import RequestFactory
    from django.utils import translation

    from programs.models import Pair, Program
    from schools.models import Organization

    request = RequestFactory().get("/admin/")
    request.user = django_user_model.objects.get(username="admin")
    form_class = admin.site._registry[Pair].get_form(request)
    data = {
        "program": Program.objects.first().pk,
        "mentor": Organization.objects.filter(level="preschool").first().pk,
        "mentee": Organization.objects.filter(level="upper_secondary").first().pk,
        "status": "active",
        "started_on": "1900-01-01",
    }
    with translation.override("vi"):
        form = form_class(data)
        assert not form.is_valid()
        assert "hai trường kết nghĩa phải có chung một cấp học" in form.errors["mentee"][0]
        assert form.errors["started_on"] == ["Từ ngày (01/01/1900) trước ngày 01/01/1990. Vui lòng kiểm tra lại năm."]
