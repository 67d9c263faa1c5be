from django.contrib import admin

from .models import CatalogOffering, CatalogOfferingSkill, Credential, CredentialSkill, Issuer


class CredentialSkillInline(admin.TabularInline):
    model = CredentialSkill
    extra = 0
    fields = ["text", "skill"]
    raw_id_fields = ["skill"]


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    list_display = ["title", "candidate", "issuer", "kind", "issued_on", "verification_status"]
    list_filter = ["kind", "verification_status", "format"]
    search_fields = ["title"]
    raw_id_fields = ["candidate", "issuer"]
    inlines = [CredentialSkillInline]


@admin.register(Issuer)
class IssuerAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class CatalogOfferingSkillInline(admin.TabularInline):
    model = CatalogOfferingSkill
    extra = 0
    fields = ["text"]


@admin.register(CatalogOffering)
class CatalogOfferingAdmin(admin.ModelAdmin):
    list_display = ["title", "provider", "level_framework", "level_value", "hours"]
    search_fields = ["title", "provider"]
    inlines = [CatalogOfferingSkillInline]
