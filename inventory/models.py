"""Every model, imported in one place so Alembic and the CLI see the whole schema."""
from inventory.activity.models import ActivityEvent, ReportNarrative, SiteHours
from inventory.audit.models import AuditEntry
from inventory.auth.models import ApiToken, User, user_site
from inventory.catalog.models import Item, Lot, Site
from inventory.counts.models import Count, CountLine
from inventory.encounters.models import (Encounter, EncounterItem, EncounterReferral,
                                         EncounterService)
from inventory.kits.models import Kit, KitItem
from inventory.onsite.models import OnsiteService, SharpsDisposal
from inventory.participants.models import Participant
from inventory.reorder.models import ReorderPolicy, ReorderRequest, ReorderRequestLine
from inventory.reporting.models import LedgerMonth, LedgerMonthTotal
from inventory.settings.models import ProgramSettings
from inventory.stock.models import StockBalance, StockEvent, StockEventLine, StockReason
from inventory.survey.models import SurveyResponse, SurveyWindow, survey_window_site
from inventory.transfers.models import Transfer, TransferLine, TransferReceipt

__all__ = [
    "ActivityEvent", "ReportNarrative", "SiteHours",
    "ApiToken", "AuditEntry", "Encounter", "EncounterItem", "EncounterReferral", "Item",
    "Kit", "KitItem",
    "LedgerMonth", "LedgerMonthTotal", "Lot", "Participant", "ProgramSettings", "ReorderPolicy",
    "ReorderRequest", "ReorderRequestLine", "Site",
    "StockBalance", "StockEvent", "StockEventLine", "StockReason", "User", "user_site",
    "Count", "CountLine", "Transfer", "TransferLine", "TransferReceipt",
    "EncounterService", "OnsiteService", "SharpsDisposal", "SurveyResponse", "SurveyWindow",
    "survey_window_site",
]
