import csv
from pathlib import Path

from django.core.management.base import BaseCommand

from claims.models import Evidence, ReviewState

# ClaimTrack's stances under the names the FNC-1 format (and the training command) uses.
FNC_LABELS = {"supports": "agree", "refutes": "disagree", "discusses": "discuss"}


class Command(BaseCommand):
    help = (
        "Write the editors' evidence decisions as labelled (claim, article) pairs in the FNC-1 "
        "format: OUT/train_stances.csv (Headline,Body ID,Stance) and OUT/train_bodies.csv "
        "(Body ID,articleBody), ready for `python -m claims.engine train-stance --data OUT`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, type=Path, help="folder to write into")
        parser.add_argument(
            "--rejected-as-unrelated",
            action="store_true",
            help="label evidence rejected without a corrected stance as unrelated "
            "(by default such pairs are left out: the editor did not say what is right)",
        )

    def handle(self, *args, out: Path, rejected_as_unrelated: bool, **options):
        out.mkdir(parents=True, exist_ok=True)
        pairs, bodies = [], {}
        reviewed = Evidence.objects.reviewed().select_related("claim", "article").order_by("pk")
        for evidence in reviewed.iterator():
            label = evidence.corrected_stance
            if not label and evidence.review_state == ReviewState.ACCEPTED:
                label = evidence.stance
            if not label and rejected_as_unrelated:
                label = "unrelated"
            if not label:
                continue
            pairs.append((evidence.claim.text, evidence.article_id, FNC_LABELS.get(label, label)))
            bodies[evidence.article_id] = evidence.article.text
        with open(out / "train_stances.csv", "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["Headline", "Body ID", "Stance"])
            writer.writerows(pairs)
        with open(out / "train_bodies.csv", "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(["Body ID", "articleBody"])
            writer.writerows(sorted(bodies.items()))
        self.stdout.write(
            f"Wrote {len(pairs)} labelled pair(s) over {len(bodies)} article(s) to {out}."
        )
