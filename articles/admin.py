from django.contrib import admin

from articles.models import Article, Source, SourceAlias
from articles.services import article_create


class SourceAliasInline(admin.TabularInline):
    model = SourceAlias
    extra = 1


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases__name"]
    inlines = [SourceAliasInline]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "publication", "author", "published_at", "origin"]
    list_filter = ["origin", "publication"]
    list_select_related = ["publication"]
    search_fields = ["title", "url", "author"]
    date_hierarchy = "published_at"
    readonly_fields = ["content_hash", "created_at"]
    autocomplete_fields = ["publication"]

    def get_readonly_fields(self, request, obj=None):
        # The text is what evidence and quotes point into; it changes only by ingesting
        # a new revision, never by editing in place.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "text", "url", "origin"] if obj else fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        stored = article_create(
            title=obj.title,
            text=obj.text,
            url=obj.url,
            origin=obj.origin,
            publication=obj.publication,
            author=obj.author,
            published_at=obj.published_at,
            retrieved_at=obj.retrieved_at,
            language=obj.language,
        )
        obj.pk = stored.article.pk
        if not stored.created:
            self.message_user(request, "This article was already stored; nothing was added.")
