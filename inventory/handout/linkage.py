"""What the handout screen's issue-15 parts need: the active on-site services (chips) and the
survey window open today at the site, if any."""
from inventory.limits import MAX_WEIGHT_LB
from inventory.onsite.services import list_services
from inventory.settings.services import local_today
from inventory.survey.services import window_for


def linkage_context(site) -> dict:
    return {"services": list_services(active_only=True),
            "survey_window": window_for(site.id, local_today()),
            "max_weight_lb": MAX_WEIGHT_LB}
