"""Every demo login the README promises exists after `scripts/demo`, whatever the city's
size, and signs in on its own login page."""

import io
import re

import pytest
from django.conf import settings
from django.core.management import call_command

from xinyong.accounts.models import User
from xinyong.demo.city import DEMO_PASSWORD


def readme_logins() -> list[str]:
    """The logins named in the README's Quick start (the sentence listing the demo logins),
    so that a login the README adds is checked too."""
    text = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    sentence = text[text.index("the demo logins") : text.index("demo API")]
    names = re.findall(r"`([a-z][a-z0-9_]+)`", sentence)
    assert len(names) >= 7, names
    return names


# 15 and 40 subjects lost the portal account before: in a city that small every penalised
# company was already on an imported list, so no case was opened and nobody was bound.
@pytest.mark.django_db
@pytest.mark.parametrize("subjects", [15, 40, 50])
def test_small_demo_city_has_every_readme_login(client, subjects):
    out = io.StringIO()
    call_command("demo_city", "--seed", "2026", "--subjects", str(subjects), "--quiet", stdout=out)
    for username in readme_logins():
        user = User.objects.filter(username=username).first()
        assert user is not None, f"{username} missing at {subjects} subjects"
        login = "/backoffice/login/" if user.is_staff else "/account/login/"
        r = client.post(login, {"username": username, "password": DEMO_PASSWORD})
        assert r.status_code == 302, f"{username} cannot sign in at {login}"
        assert client.session["_auth_user_id"] == str(user.pk)
        client.logout()
    agent = User.objects.get(username="qiye_demo")
    binding = agent.bindings.get()
    assert binding.status == "approved"
    assert binding.subject.list_entries.filter(status="published").exists()  # a listed company
