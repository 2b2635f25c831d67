"""The handout screen's words: message ids its JavaScript looks up in ``/i18n/<lang>.json``.

The JavaScript keeps these English strings as keys (``t("Save handout")``) and shows the
translation when the catalogue has one. ``%(name)s`` marks a value the script fills in.
The labels of stored codes (inventory/labels.py) and the participant code prompts
(inventory/participants/recipe.py) are added to the catalogue as well.
"""
from inventory.labels import LABELS, N_
from inventory.participants.recipe import PROMPTS

SCREEN_MESSAGES = (
    # Header, badge and sync
    N_("Handout"), N_("Handout screen"), N_("Choose a site"), N_("Site"),
    N_("Save handout"), N_("Saving…"), N_("Queued"), N_("Saved"),
    N_("Sync now"), N_("Syncing…"), N_("%(count)s unsynced"), N_("All synced"),
    N_("Last synced: %(time)s"), N_("Never synced"), N_("Online"), N_("Offline"),
    N_("Export pending"), N_("Sign in again"),
    N_("Sign in again to send the %(count)s handouts waiting on this device."),
    N_("Conflict"), N_("Conflicts"), N_("Not sent: %(error)s"), N_("Discard"),
    N_("This device could not keep its storage: unsent handouts may be lost if the browser "
       "clears its data. Sync often."),
    N_("You are offline. Handouts are kept on this device and sent when the network is back."),
    # Kits and steppers
    N_("Kits"), N_("Add %(kit)s"), N_("Items"), N_("Other items"), N_("Add one %(item)s"),
    N_("Remove one %(item)s"), N_("Quantity of %(item)s"), N_("Clear"), N_("Nothing to save yet."),
    # Encounter details
    N_("Encounter type"), N_("Syringes returned"), N_("Estimated"),
    N_("People supplied through secondary distribution"), N_("Naloxone used since last visit"),
    N_("Overdose reversals reported"), N_("Referrals"),
    # Participant code and demographics
    N_("Participant code"), N_("Participant code (optional)"), N_("Build the code"),
    N_("Code"), N_("Demographics (optional)"), N_("Age range"), N_("Gender"),
    N_("Race or ethnicity"), N_("declined"), N_("Not asked"),
    # Today at this site
    N_("Today at this site"), N_("Handouts today"), N_("Totals by item"), N_("Recent handouts"),
    N_("Void"), N_("Reason"), N_("Reason is required."), N_("Voided"), N_("Undo last handout"),
    N_("No handouts yet today."), N_("Time"), N_("Quantity"), N_("Cancel"),
    # Handout screen: sync, Today and Void messages of its script
    N_("Today's figures need a connection. Handouts saved here are kept and sent later."),
    N_("Try again"), N_("Void handout"), N_("Void handout of %(time)s"),
    N_("Voiding needs a connection. Try again when online."), N_("no items"),
    N_("Not saved on this device:"),
    # Issue 15: services, linkage and the point-in-time survey (linkage.js, survey.js)
    N_("Syringes meant for others cannot be more than the syringes handed out (%(count)s)."),
    N_("Reversals with our naloxone cannot be more than the reversals reported."),
    N_("The returns weight must be a number of pounds from 0 to 500."),
    N_("Survey answers queued"),
)


def screen_message_ids() -> list[str]:
    """Every message id the screen may look up, without repeats, in a stable order."""
    ids = list(SCREEN_MESSAGES)
    for labels in LABELS.values():
        ids.extend(labels.values())
    ids.extend(p.label for p in PROMPTS.values())
    return list(dict.fromkeys(ids))
