"""Plain dicts of claims, appearances, evidence, status changes and merges, with the field
names the API promises. They are what the change feed and webhooks carry as an object's
state before and after a change, so they never depend on a request."""

from datetime import date, datetime


def _time(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def claim_payload(claim) -> dict:
    return {
        "id": claim.pk,
        "text": claim.text,
        "kind": claim.kind,
        "status": claim.status,
        "tags": sorted(tag.name for tag in claim.tags.all()),
        "resolves_by": _time(claim.resolves_by),
        "merged_into": claim.merged_into_id,
        "created_at": _time(claim.created_at),
        "updated_at": _time(claim.updated_at),
    }


def appearance_payload(appearance) -> dict:
    return {
        "id": appearance.pk,
        "claim": appearance.claim_id,
        "article": appearance.article_id,
        "quote": appearance.quote,
        "quote_prefix": appearance.quote_prefix,
        "quote_suffix": appearance.quote_suffix,
        "start": appearance.start,
        "end": appearance.end,
        "speaker": appearance.speaker_id,
        "outlet": appearance.outlet_id,
        "attribution": appearance.attribution,
        "anonymous_count": appearance.anonymous_count,
        "created_at": _time(appearance.created_at),
    }


def evidence_payload(evidence) -> dict:
    return {
        "id": evidence.pk,
        "claim": evidence.claim_id,
        "article": evidence.article_id,
        "stance": evidence.stance,
        "score": evidence.score,
        "sentences": evidence.sentences,
        "found_by": evidence.found_by.get_username() if evidence.found_by_id else None,
        "engine_version": evidence.engine_version,
        "review_state": evidence.review_state,
        "review_note": evidence.review_note,
        "corrected_stance": evidence.corrected_stance,
        "reviewed_by": evidence.reviewed_by.get_username() if evidence.reviewed_by_id else None,
        "reviewed_at": _time(evidence.reviewed_at),
    }


def status_change_payload(change) -> dict:
    return {
        "id": change.pk,
        "claim": change.claim_id,
        "seq": change.seq,
        "from_status": change.from_status,
        "status": change.to_status,
        "changed_at": _time(change.changed_at),
        "actor": change.actor.get_username() if change.actor_id else None,
        "engine_version": change.engine_version,
        "note": change.note,
        "evidence": change.evidence_id,
    }


def merge_payload(merge) -> dict:
    return {
        "id": merge.pk,
        "kept": merge.kept_id,
        "merged": merge.merged_id,
        "actor": merge.actor.get_username(),
        "note": merge.note,
        "merged_at": _time(merge.merged_at),
        "moved_appearances": merge.moved_appearances,
        "moved_evidence": merge.moved_evidence,
        "left_behind": merge.left_behind,
    }
