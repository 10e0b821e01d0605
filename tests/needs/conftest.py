"""A need of the cast's school pair (Tây Mỗ A helps Mỹ Đức A), posted by Mỹ Đức A."""

import datetime

import pytest
from django.utils import timezone

from needs import services
from needs.models import Need


def need_of(cast, **values):
    data = {
        "kind": Need.Kind.EQUIPMENT,
        "title": "Máy tính cho phòng tin học",
        "quantity": 20,
        "unit_label": "bộ máy tính",
        "needed_by": timezone.localdate() + datetime.timedelta(days=60),
        "description": "Phòng tin học còn 5 máy cũ. Liên hệ cô Nguyễn Thị Lan, 0912 345 678.",
        "is_public": True,
        **values,
    }
    return services.need_post(need=Need(**data), pair=cast.taymo_md, user=cast.users.principal_md)


@pytest.fixture
def need(cast):
    return need_of(cast)
