"""Dashboard URLs (mounted at "" by config.urls, namespace "dashboard")."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .views import (
    api_keys,
    audit_log,
    credentials_upload,
    editor,
    invitations,
    my_data,
    password,
    pipeline,
    pool,
    profile,
    wallet,
)
from .views.assessments import assessment_urlpatterns
from .views.fairness import fairness_urlpatterns
from .views.org_skills import org_skill_urlpatterns

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="registration/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # password reset by a link sent to the account's email address (apps.dashboard.views.password)
    path("password-reset/", password.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", password.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        password.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password-reset/done/", password.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    # recruiter
    path("jobs/", views.jobs_list, name="jobs"),
    path("jobs/new/", editor.job_new, name="job_new"),
    path("jobs/<int:job_id>/", views.job_detail, name="job"),
    path("jobs/<int:job_id>/edit/", editor.job_edit, name="job_edit"),
    path("jobs/editor/skill-row/", editor.skill_row, name="skill_row"),
    path("jobs/editor/suggest/", editor.skill_suggest, name="skill_suggest"),
    path("jobs/editor/from-description/", editor.skills_from_description, name="skills_from_description"),
    path("jobs/<int:job_id>/runs/", views.run_start, name="run_start"),
    path("jobs/<int:job_id>/runs/<int:run_id>/", views.run_detail, name="run"),
    path("jobs/<int:job_id>/runs/<int:run_id>/progress/", views.run_progress, name="run_progress"),
    path("jobs/<int:job_id>/shortlist/", views.shortlist, name="shortlist"),
    path("jobs/<int:job_id>/shortlist/scarcity/", views.shortlist_scarcity, name="scarcity"),
    path("jobs/<int:job_id>/shortlist/newer/", views.shortlist_newer, name="shortlist_newer"),
    path("jobs/<int:job_id>/shortlist.csv", views.shortlist_csv, name="shortlist_csv"),
    path("jobs/<int:job_id>/candidates/<int:candidate_id>/", views.candidate_detail, name="candidate"),
    path("jobs/<int:job_id>/candidates/<int:candidate_id>/reveal/", views.candidate_reveal_view, name="reveal"),
    path("jobs/<int:job_id>/candidates/<int:candidate_id>/decide/", pipeline.candidate_decide, name="decide"),
    path("jobs/<int:job_id>/candidates/<int:candidate_id>/notes/", pipeline.candidate_note_add, name="note_add"),
    path("jobs/<int:job_id>/shortlist/bulk/", pipeline.shortlist_bulk, name="shortlist_bulk"),
    # invitations to share a profile with the organization, sent from a job's page
    path("jobs/<int:job_id>/invitations/", invitations.invitation_send, name="invitation_send"),
    path(
        "jobs/<int:job_id>/invitations/<int:invitation_id>/revoke/",
        invitations.invitation_revoke,
        name="invitation_revoke",
    ),
    # talent-pool search, without a job, and saved searches
    path("pool/", pool.pool_search, name="pool_search"),
    path("pool/skill-input/", pool.pool_skill_input, name="pool_skill_input"),
    path("pool/saved/", pool.pool_search_save, name="pool_search_save"),
    path("pool/saved/<int:search_id>/", pool.saved_search, name="saved_search"),
    path("pool/saved/<int:search_id>/delete/", pool.saved_search_remove, name="saved_search_remove"),
    # recruiter settings: the organization's API keys
    path("settings/api-keys/", api_keys.api_keys, name="api_keys"),
    path("settings/api-keys/<int:key_id>/revoke/", api_keys.api_key_revoke_view, name="api_key_revoke"),
    # organization admins: the hiring pipeline
    path("settings/pipeline/", pipeline.pipeline_settings, name="pipeline_settings"),
    path("settings/pipeline/<int:stage_id>/", pipeline.pipeline_stage_change, name="pipeline_stage"),
    path("settings/audit/", audit_log.audit_log, name="audit_log"),
    # job seeker
    path("me/", views.seeker_home, name="seeker_home"),
    path("me/jobs/", views.seeker_jobs, name="seeker_jobs"),
    path("me/jobs/<int:job_id>/", views.seeker_job, name="seeker_job"),
    path("me/credentials/upload/", credentials_upload.seeker_upload, name="seeker_upload"),
    path("me/sharing/", wallet.sharing, name="seeker_sharing"),
    path("me/sharing/<int:share_id>/revoke/", wallet.sharing_revoke, name="seeker_sharing_revoke"),
    path("apply/<str:token>/", wallet.apply, name="apply"),
    path("invitation/<str:token>/", invitations.invitation, name="invitation"),
    path("invitation/<str:token>/signup/", invitations.invitation_signup, name="invitation_signup"),
    path("me/data/", my_data.my_data, name="my_data"),
    path("me/data/export/", my_data.my_data_export, name="my_data_export"),
    path("me/data/erase/", my_data.my_data_erase, name="my_data_erase"),
    path("me/profile/", profile.seeker_profile, name="seeker_profile"),
    path("me/skills/suggest/", profile.seeker_skill_suggest, name="seeker_skill_suggest"),
    path("me/resume/", profile.seeker_resume, name="seeker_resume"),
    path("me/resume/confirm/", profile.seeker_resume_confirm, name="seeker_resume_confirm"),
    path("me/resume/jobs/<str:job_id>/", profile.seeker_resume_job, name="seeker_resume_job"),
    # a candidate's own evidence, and CV import for a candidate of the organization
    path("candidates/<int:candidate_id>/profile/", profile.candidate_profile, name="candidate_profile"),
    path("candidates/<int:candidate_id>/resume/", profile.candidate_resume, name="candidate_resume"),
    path(
        "candidates/<int:candidate_id>/resume/confirm/",
        profile.candidate_resume_confirm,
        name="candidate_resume_confirm",
    ),
    path(
        "candidates/<int:candidate_id>/resume/jobs/<str:job_id>/",
        profile.candidate_resume_job,
        name="candidate_resume_job",
    ),
]
urlpatterns += fairness_urlpatterns  # adverse-impact report, model card
urlpatterns += assessment_urlpatterns  # employer assessments (scorecards) from the candidate panel
urlpatterns += org_skill_urlpatterns  # the organization's own skills, Rich Skill Descriptor import
