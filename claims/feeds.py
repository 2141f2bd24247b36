"""/feeds/status-changes/: the latest verdicts as an Atom feed, for feed readers.

A feed reader cannot fill in a sign-in form, so the feed is guarded like the API: an
`Authorization: Token <key>` header (or a signed-in session), the permission to view
status changes, and anonymous reading only when CLAIMTRACK_API_PUBLIC_READ is on. The
feed itself is built by Django's syndication framework."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http.request import split_domain_port
from django.urls import path, reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from claims.models import StatusChange
from claimtrack.rest import ModelPermissions

FEED_LENGTH = 50


class StatusChangesFeed(Feed):
    """The latest status changes, newest first, of every claim. A change of a claim that
    was merged since stays in the feed and links to that claim's page, which leads to the
    claim kept. Make one instance per request: it keeps the request's host."""

    feed_type = Atom1Feed
    title = "ClaimTrack: status changes"
    subtitle = "The latest changes of the verification status of the claims tracked."

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return None

    def link(self):
        return reverse("claims:list")

    def feed_url(self):
        return reverse("status-changes-feed")

    def feed_guid(self):
        return self.request.build_absolute_uri(reverse("status-changes-feed"))

    def author_name(self):
        return settings.CLAIMTRACK_PUBLISHER_NAME

    def items(self):
        # All claims' changes, merged ones included (`claim` is joined directly, so the
        # tracked-claims manager does not filter it).
        return StatusChange.objects.select_related("claim", "actor").order_by("-changed_at", "-id")[
            :FEED_LENGTH
        ]

    def item_title(self, change: StatusChange) -> str:
        # Atom titles are plain text: no escaping here, the XML writer does it.
        return f"{change.get_to_status_display()}: {change.claim.text}"

    def item_description(self, change: StatusChange) -> str:
        # Atom summaries are HTML: the note is escaped, its paragraphs kept.
        return linebreaks(change.note, autoescape=True)

    def item_link(self, change: StatusChange) -> str:
        return reverse("claims:detail", args=[change.claim_id])

    def item_guid(self, change: StatusChange) -> str:
        # A tag URI (RFC 4151): the entry's id never changes, as the row never does.
        host, _port = split_domain_port(self.request.get_host())
        return f"tag:{host},{change.changed_at.date().isoformat()}:status-change/{change.pk}"

    def item_author_name(self, change: StatusChange) -> str:
        if change.actor_id:
            return change.actor.get_username()
        return f"engine {change.engine_version}"

    def item_pubdate(self, change: StatusChange):
        return change.changed_at

    def item_updateddate(self, change: StatusChange):
        return change.changed_at

    def item_categories(self, change: StatusChange) -> list[str]:
        return [change.to_status]


class _ErrorsAsJSON(BaseContentNegotiation):
    """The feed is Atom whatever the client accepts, and errors are the API's JSON: a
    feed reader that only accepts Atom gets its 401 or 403, not a 406."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class StatusChangesFeedView(APIView):
    """The feed behind the API's authentication, permissions and throttling: no
    credentials give 401 with `WWW-Authenticate: Token`, a user without
    `claims.view_statuschange` gets 403."""

    queryset = StatusChange.objects.all()  # what ModelPermissions checks: view_statuschange
    permission_classes = [ModelPermissions]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = _ErrorsAsJSON
    schema = None  # Atom, not JSON: not part of the OpenAPI document

    def get(self, request, *args, **kwargs):
        response = StatusChangesFeed()(request._request)
        # Who may read it depends on the credentials: caches must not share it.
        patch_vary_headers(response, ["Authorization", "Cookie"])
        if not settings.CLAIMTRACK_API_PUBLIC_READ:
            patch_cache_control(response, private=True)
        return response


status_changes_feed = StatusChangesFeedView.as_view()

# Included by the project's URLconf at /feeds/status-changes/ (so that it needs one line
# there and no import); the name is global, as `reverse("status-changes-feed")`.
urlpatterns = [path("", status_changes_feed, name="status-changes-feed")]
