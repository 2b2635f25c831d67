"""API schemas for kits and the handout screen's configuration (output only)."""
from marshmallow import Schema, fields


class KitItemSchema(Schema):
    item = fields.String(metadata={"description": "Item code"})
    quantity = fields.Integer()


class KitSchema(Schema):
    code = fields.String()
    name = fields.String()
    items = fields.List(fields.Nested(KitItemSchema))


class ChoiceSchema(Schema):
    code = fields.String(metadata={"description": "The value the API accepts"})
    label = fields.String(metadata={"description": "English label; also the message id of "
                                                   "/i18n/<lang>.json"})


class PromptSchema(Schema):
    id = fields.String()
    label = fields.String(metadata={"description": "English prompt; a message id of "
                                                   "/i18n/<lang>.json"})
    kind = fields.String(metadata={"description": "letters or digits"})
    length = fields.Integer(metadata={"description": "How many letters or digits it adds"})


class ParticipantCodeSchema(Schema):
    recipe = fields.List(fields.Nested(PromptSchema),
                         metadata={"description": "Prompts in order; the code is their answers "
                                                  "joined (the server normalises and hashes it)"})
    max_length = fields.Integer()


class DemographicsSchema(Schema):
    age_range = fields.List(fields.Nested(ChoiceSchema))
    gender = fields.List(fields.Nested(ChoiceSchema))
    race_ethnicity = fields.List(fields.Nested(ChoiceSchema))


class LimitsSchema(Schema):
    max_quantity = fields.Integer(metadata={"description": "Largest quantity on one item line"})
    max_people = fields.Integer(metadata={"description": "Largest count of people or events"})
    max_occurred_age_days = fields.Integer(
        metadata={"description": "Staff may record a handout at most this many days old"})


class HandoutConfigSchema(Schema):
    participant_code = fields.Nested(ParticipantCodeSchema)
    encounter_types = fields.List(fields.Nested(ChoiceSchema))
    referrals = fields.List(fields.Nested(ChoiceSchema))
    demographics = fields.Nested(DemographicsSchema)
    idle_timeout_minutes = fields.Integer()
    limits = fields.Nested(LimitsSchema)
