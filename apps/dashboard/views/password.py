"""Password reset: Django's auth views with the site's templates, namespaced URLs and the login throttle
lifted once a new password is set (apps.accounts.services.login_lockout_clear)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from apps.accounts.services import login_lockout_clear


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for the email address; the link goes out through EMAIL_BACKEND (console by default). The answer
    is the same whether or not an account has that address, so the form tells no one which addresses exist."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("dashboard:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link's page: a new password, twice. Setting it ends a login lockout for that username."""

    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("dashboard:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        login_lockout_clear(username=form.user.get_username())
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
