"""Password reset by e-mail, for portal accounts only: Django's PasswordReset views with
forms that leave staff accounts out (the credit office resets those) and save through
the audited service. Open to anyone: knowing an address gives nothing but a mail to it."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.urls import reverse_lazy

from xinyong.accounts import access, services


def _portal_account(user) -> bool:
    return user is not None and access.resets_password_by_email(user)


class PortalPasswordResetForm(PasswordResetForm):
    def get_users(self, email):
        """Active portal accounts with this address; a staff address gets no mail, and
        the page says the same whatever the address, so it tells nobody who has one."""
        return (u for u in super().get_users(email) if _portal_account(u))


class PortalSetPasswordForm(SetPasswordForm):
    def save(self, commit=True):
        services.portal_password_reset(user=self.user, password=self.cleaned_data["new_password1"])
        return self.user


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PortalPasswordResetForm
    template_name = "accounts/password_reset.html"
    subject_template_name = "accounts/password_reset_subject.txt"
    email_template_name = "accounts/password_reset_email.txt"
    success_url = reverse_lazy("portal:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = PortalSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("portal:password_reset_complete")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if _portal_account(user) else None


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
