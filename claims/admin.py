from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from knox.admin import AuthTokenAdmin as KnoxAuthTokenAdmin
from knox.models import AuthToken
from rest_framework.authtoken.models import TokenProxy

from claims.models import (
    Appearance,
    ArticleCheck,
    ChangeEvent,
    Claim,
    ClaimMerge,
    Evidence,
    StatusChange,
    Tag,
    WebhookDelivery,
    WebhookSubscription,
)
from claims.presentation import highlight
from claims.selectors import claim_suggested_status
from claims.services import claim_update


class AppearanceInline(admin.TabularInline):
    model = Appearance
    extra = 0
    fields = ["article", "quote", "speaker", "outlet", "attribution", "anonymous_count"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = [
        "article",
        "stance",
        "score",
        "review_state",
        "found_by",
        "engine_version",
        "deciding",
    ]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    @admin.display(description="deciding sentences")
    def deciding(self, evidence):
        return format_html_join(
            "", "<blockquote>{}</blockquote>", ((s["text"],) for s in evidence.sentences)
        )

    def has_add_permission(self, request, obj=None):
        return False


class StatusChangeInline(admin.TabularInline):
    """The claim's history, oldest first; read-only because it is append-only."""

    model = StatusChange
    extra = 0
    fields = ["seq", "changed_at", "from_status", "to_status", "actor", "engine_version", "note"]
    readonly_fields = fields
    ordering = ["seq"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "status", "status_changed_at", "resolves_by"]
    list_filter = ["status", "kind", "tags"]
    search_fields = ["text"]
    readonly_fields = [
        "status",
        "suggested_status",
        "status_changed_at",
        "checked_at",
        "due_flagged_at",
        "created_by",
        "created_at",
        "updated_at",
    ]
    filter_horizontal = ["tags"]
    inlines = [AppearanceInline, EvidenceInline, StatusChangeInline]

    def save_model(self, request, obj, form, change):
        # Through the service, so a new wording is re-checked against recent articles.
        claim_update(
            claim=Claim.objects.get(pk=obj.pk),
            actor=request.user,
            text=obj.text,
            kind=obj.kind,
            resolves_by=obj.resolves_by,
        )

    @admin.display(description="suggested by reviewed evidence")
    def suggested_status(self, claim):
        suggestion = claim_suggested_status(claim)
        if suggestion is None:
            return "none yet"
        return f"{suggestion.status}: {suggestion.reason}"

    def has_add_permission(self, request):
        # Claims are logged from an article's quote in the app, through the services.
        return False


@admin.register(Appearance)
class AppearanceAdmin(admin.ModelAdmin):
    list_display = ["claim", "article", "speaker", "outlet", "attribution"]
    list_select_related = ["claim", "article", "speaker", "outlet"]
    readonly_fields = ["claim", "article", "quote", "quote_prefix", "quote_suffix", "start", "end"]
    autocomplete_fields = ["speaker", "outlet"]

    def has_add_permission(self, request):
        return False


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["claim", "article", "stance", "score", "review_state", "found"]
    list_filter = ["stance", "review_state", "engine_version"]
    list_select_related = ["claim", "article", "found_by"]
    readonly_fields = ["deciding_sentences", *[f.name for f in Evidence._meta.fields]]
    fields = readonly_fields

    @admin.display(description="found by")
    def found(self, evidence):
        return evidence.found_by or f"engine {evidence.engine_version}"

    @admin.display(description="article, deciding sentences highlighted")
    def deciding_sentences(self, evidence):
        spans = [(s["start"], s["end"]) for s in evidence.sentences]
        return format_html(
            '<div class="deciding-sentences">{}</div>',  # styled in css/admin.css
            highlight(evidence.article.text, spans),
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written only by the services: shown, never edited here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = [
        "claim",
        "seq",
        "from_status",
        "to_status",
        "changed_at",
        "actor",
        "engine_version",
    ]
    list_filter = ["to_status"]
    list_select_related = ["claim", "actor"]
    date_hierarchy = "changed_at"


@admin.register(ChangeEvent)
class ChangeEventAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "claim_id", "object_type", "object_id", "actor", "at"]
    list_filter = ["kind"]
    date_hierarchy = "at"


@admin.register(ClaimMerge)
class ClaimMergeAdmin(ReadOnlyAdmin):
    list_display = ["kept", "merged", "actor", "merged_at", "moved_appearances", "moved_evidence"]
    list_select_related = ["kept", "merged", "actor"]


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["target_url", "active", "created_by", "created_at"]
    list_filter = ["active"]
    readonly_fields = ["secret", "created_by", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False  # through the API, which checks the target address


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["subscription", "event", "state", "attempts", "next_attempt_at"]
    list_filter = ["state"]


@admin.register(ArticleCheck)
class ArticleCheckAdmin(admin.ModelAdmin):
    list_display = ["article", "state", "attempts", "error", "created_at", "finished_at"]
    list_filter = ["state"]
    readonly_fields = ["article", "state", "attempts", "last_error", "created_at", "finished_at"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="last error")
    def error(self, check):
        # Why a check failed, or why it is still pending, without opening it.
        return Truncator(check.last_error).chars(120)


admin.site.register(Tag)


# ---- API tokens: knox's (add one for a user: its key is shown once, then only its hash
# is kept), listed by their lookup prefix. DRF's plain-text tokens are gone from the admin.

admin.site.unregister(TokenProxy)
admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class AuthTokenAdmin(KnoxAuthTokenAdmin):
    list_display = ("token_key", "user", "created", "expiry")
    list_select_related = ("user",)
    search_fields = ("token_key", "user__username")

    def save_model(self, request, obj, form, change):
        # Knox's says "TOKEN <key>"; say that it will not be shown again.
        admin.ModelAdmin.save_model(self, request, obj, form, change)
        if not change:
            self.message_user(
                request,
                f"The new token, shown only now: {form.token} — send it as "
                f"'Authorization: Token <key>'. Only its hash is stored.",
                messages.WARNING,
            )
