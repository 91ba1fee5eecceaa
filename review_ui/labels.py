"""Names of the app's own states (field and document statuses, audit actions, job states) in the
catalogs' English; the pages translate them."""

from __future__ import annotations

from review_ui.i18n import N_, gettext

STATES = {
    "needs_review": N_("needs review"),
    "auto_accepted": N_("auto-accepted"),
    "confirmed": N_("confirmed"),
    "corrected": N_("corrected"),
    "in_review": N_("in review"),
    "reviewed": N_("reviewed"),
    "approved": N_("approved"),
    "confirm": N_("confirm"),
    "correct": N_("correct"),
    "undo": N_("undo"),
    "revalidate": N_("re-validation"),
    "approve": N_("approval"),
    "reopen": N_("reopening"),
    "queued": N_("queued"),
    "running": N_("running"),
    "done": N_("done"),
    "failed": N_("failed"),
    "reviewer": N_("reviewer"),
    "admin": N_("admin"),
}


def state_name(state: str | None) -> str:
    if not state:
        return ""
    return gettext(STATES[state]) if state in STATES else state
