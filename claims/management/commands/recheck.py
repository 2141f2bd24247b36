import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.models import Article
from claims import recheck
from claims.models import ArticleCheck, Claim


class Command(BaseCommand):
    help = (
        "Re-check now, in this process: one article against every tracked claim, one claim "
        "against the recent articles, or every article. Evidence an editor reviewed is "
        "never changed."
    )

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--article", type=int, metavar="ID")
        target.add_argument("--claim", type=int, metavar="ID")
        target.add_argument("--all", action="store_true", help="every stored article")

    def handle(self, *args, article=None, claim=None, all=False, **options):
        if claim is not None:
            if not Claim.objects.filter(pk=claim).exists():
                raise CommandError(f"There is no claim {claim}.")
            found = recheck.claim_check_run(claim_id=claim)
            self.stdout.write(f"Claim {claim}: {found} finding(s) stored.")
            return
        articles = Article.objects.only("pk").order_by("pk")
        if article is not None:
            articles = articles.filter(pk=article)
            if not articles.exists():
                raise CommandError(f"There is no article {article}.")
        total, findings = articles.count(), 0
        progress = tqdm(articles.iterator(), total=total, unit="article", file=sys.stderr)
        for stored in progress:
            recheck.article_check_record(article=stored)
            check = recheck.article_check_run(article_id=stored.pk, force=True)
            findings += check.findings if check else 0
        failed = ArticleCheck.objects.filter(state="failed").count()
        self.stdout.write(
            f"{total} article(s) re-checked, {findings} finding(s) stored; "
            f"{failed} article(s) marked failed in all."
        )
