"""List pages filtered with django-filter, shared by the articles and claims pages."""

from django.views.generic import ListView


class FilteredListView(ListView):
    """A list narrowed by `filterset_class` from the query string. An invalid field (a
    bad date, say) is left out of the filtering and shown as an error on the form; the
    other fields still apply. The pager's links keep the filters (`query`)."""

    filterset_class = None

    def base_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        self.filter = self.filterset_class(self.request.GET, queryset=self.base_queryset())
        return self.filter.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filter
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        return context
