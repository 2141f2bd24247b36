"""POST /api/v1/articles/ingest: bring an article in from a URL or a file, as a job; and
/api/v1/jobs/: how a job goes (state, progress, the article or the error)."""

from django.db import transaction
from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from articles import ingest
from articles.forms import UploadForm, UrlForm
from articles.jobs import job_create, job_dispatch
from articles.models import Article, Job
from articles.tasks import import_batch_job, ingest_page_job, ingest_url_job
from claimtrack.parsers import JSONParser, MultiPartParser
from claimtrack.rest_errors import errors


class JobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    article = serializers.SerializerMethodField(help_text="The article a URL job stored.")
    error = serializers.SerializerMethodField(help_text="Why a failed job failed.")

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "state",
            "total",
            "done",
            "failed",
            "percent",
            "message",
            "errors",
            "result",
            "article",
            "error",
            "created_at",
            "updated_at",
            "finished_at",
        ]

    def get_article(self, job) -> int | None:
        return (job.result or {}).get("article")

    def get_error(self, job) -> str | None:
        return job.message if job.state == "failed" else None


JOB_EXAMPLE = OpenApiExample(
    "A finished URL job",
    value={
        "id": "4f6c2f4e-0d5a-4f0b-9d7e-2b1f7a0c9e11",
        "kind": "ingest-url",
        "state": "done",
        "total": 1,
        "done": 1,
        "failed": 0,
        "percent": 100,
        "message": "Article stored.",
        "errors": [],
        "result": {"article": 12, "outcome": "created"},
        "article": 12,
        "error": None,
        "created_at": "2024-02-14T08:00:00Z",
        "updated_at": "2024-02-14T08:00:02Z",
        "finished_at": "2024-02-14T08:00:02Z",
    },
    response_only=True,
)


class JobViewSet(viewsets.ReadOnlyModelViewSet):
    """Jobs the caller started (every job, for a superuser)."""

    queryset = Job.objects.all()
    serializer_class = JobSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["state", "kind"]
    ordering_fields = ["created_at"]

    def get_queryset(self):
        jobs = Job.objects.all()
        user = self.request.user
        return jobs if user.is_superuser else jobs.filter(created_by=user)

    @extend_schema(
        responses={200: JobSerializer(many=True), **errors(400, 401, 403, 429)},
        examples=[JOB_EXAMPLE],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        responses={200: JobSerializer, **errors(401, 403, 404, 429)}, examples=[JOB_EXAMPLE]
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


ACCEPTED = inline_serializer(
    "IngestAccepted",
    {
        "job": serializers.URLField(help_text="GET it to follow the job."),
        "id": serializers.UUIDField(),
        "state": serializers.CharField(),
    },
)


class IngestView(APIView):
    """Fetch an article from `{"url": ...}`, or take a file (multipart `file`: a .txt or
    .html article, or a .jsonl / .csv batch). Answers 202 with the job to follow."""

    queryset = Article.objects.all()  # model permissions: POST needs articles.add_article
    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(
        operation_id="articles_ingest",
        summary="Bring articles in from a URL or a file, as a job",
        request={
            "application/json": inline_serializer(
                "IngestUrl", {"url": serializers.URLField(max_length=2000)}
            ),
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            },
        },
        responses={202: ACCEPTED, **errors(400, 401, 403, 429)},
        examples=[
            OpenApiExample(
                "From a URL", value={"url": "https://example.com/llama-2"}, request_only=True
            ),
            OpenApiExample(
                "Accepted",
                value={
                    "job": "http://127.0.0.1:8000/api/v1/jobs/4f6c.../",
                    "id": "4f6c2f4e-0d5a-4f0b-9d7e-2b1f7a0c9e11",
                    "state": "queued",
                },
                response_only=True,
            ),
        ],
        tags=["articles"],
    )
    def post(self, request):
        if "file" in request.FILES:
            job, task, args = self._file_job(request)
        else:
            form = UrlForm(request.data if hasattr(request.data, "get") else {})
            if not form.is_valid():
                raise ValidationError(form.errors)
            url = form.cleaned_data["url"]
            job = job_create(kind="ingest-url", actor=request.user, source=url)
            task, args = ingest_url_job, ()
        transaction.on_commit(lambda: job_dispatch(task, str(job.pk), *args))
        location = request.build_absolute_uri(reverse("job-detail", args=[job.pk]))
        body = {"job": location, "id": str(job.pk), "state": job.state}
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": location})

    def _file_job(self, request):
        form = UploadForm(files=request.FILES)
        if not form.is_valid():
            raise ValidationError(form.errors)
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            if not form.is_batch:
                html = upload.name.lower().endswith((".html", ".htm"))
                ingest.page_upload_check(data, html=html)
                job = job_create(kind="ingest-file", actor=request.user, source=upload.name)
                return job, ingest_page_job, (data.decode("latin-1"), upload.name)
            text = ingest.batch_text(data)
        except ingest.IngestError as refused:
            raise ValidationError({"file": [refused.message]}) from None
        job = job_create(kind="import", actor=request.user, source=text)
        return job, import_batch_job, (upload.name,)


def register(router) -> None:
    router.register("jobs", JobViewSet, basename="job")
