"""What a State reported for a calendar year: the DAP indicators the progress
reports count (mostly from the State's Article 7 report for that year).

Each indicator is an event in the facts (`reported: {YEAR: {NAME: event}}`):
`done` when the State reported it, `not_done` with `checked_on` when a source
says it did not. The text says what counts, with the 7MSP paragraph that counts it.
"""
from __future__ import annotations

INDICATORS: dict[str, str] = {
    # Article 3 / DAP actions 2.1-2.5
    "stockpile_progress": "information on the status and progress of stockpile destruction (para 19)",
    "completion_date_update": "updated information on the expected completion date of destruction (para 20)",
    "destruction_plan_in_place": "a destruction plan in place and/or progress in destruction (para 21)",
    "destruction_plan_in_development": "a destruction plan being developed (para 22)",
    "destruction_plan_assistance": "technical assistance requested to assess needs and develop a destruction plan (para 23)",
    "destruction_standards": "destruction techniques complying with national and international safety and environmental standards (para 24)",
    "no_retention_after_completion": "a declaration that no cluster munitions will be retained after completion (para 25)",
    "retention": "cluster munitions retained under Art. 3(6) (para 26)",
    "retention_use_update": "an update on the use of retained cluster munitions, Art. 3(8) (para 26)",
    # Article 4 / DAP actions 3.1-3.8
    "contamination_extent": "the location, scope and extent of contamination (para 31)",
    "clearance_progress": "the status and progress of clearance programmes (para 32)",
    "land_release_other_methods": "land released by methods other than clearance (para 33)",
    "new_contaminated_areas": "additional contaminated areas discovered (para 34)",
    "risk_education_or_marking": "risk reduction education and/or marking and fencing (para 35)",
    "clearance_national_resources": "national resources allocated to clearance (para 36)",
    "community_inclusion": "the inclusion of communities in developing clearance plans (Table 3)",
    # Article 5 / DAP actions 4.1-4.4
    "new_victims": "accidents giving rise to new cluster munition victims (para 45)",
    "va_integrated_disability": "victim assistance integrated into the broader disability sector (para 46)",
    "victims_involved": "victims and/or persons with disabilities involved in decision making (para 47)",
    "va_data_collection": "efforts to collect data and assess victims' needs on an ongoing basis (para 50)",
    "va_data_collection_challenges": "specific challenges with data collection (para 50)",
    "va_plan_information": "information on a national disability or victim assistance action plan (para 54)",
    "va_challenges": "challenges related to victim assistance and/or disability law implementation (para 54)",
    "va_regulation_improvements": "improvements in regulations for cluster munition victims (para 54)",
    "va_temporary_focal_point": "a temporary victim assistance focal point (para 52)",
    "va_feedback": "detailed feedback on challenges and priorities in Art. 5 implementation, to the Coordinators (para 56)",
    # Article 6 / DAP actions 5.1-5.7
    "assistance_requested": "international cooperation and assistance requested through the Article 7 report (para 64)",
    "assistance_requested_art3": "assistance requested to fulfil Article 3 obligations (para 65)",
    "assistance_requested_clearance": "assistance requested to fulfil clearance obligations (paras 37, 66)",
    "assistance_requested_risk_education": "assistance requested for risk reduction education (para 66)",
    "assistance_requested_va": "assistance requested specifically for victim assistance (paras 48, 67)",
    "assistance_requested_legislation": "assistance requested for national implementing legislation (para 68)",
    "assistance_requested_other": "assistance requested in other areas, e.g. data collection, technical training (para 69)",
    "assistance_requests_survey_based": "requests for assistance based on surveys, needs assessments and analysis (para 73)",
    "assistance_provided": "assistance provided to affected States (para 71)",
    "assistance_provided_va": "cooperation and assistance provided for victim assistance (para 49)",
    "assistance_received": "cooperation and assistance received from States Parties and/or organisations (para 72)",
    "national_resources": "national resources allocated to implement the Convention (para 74)",
    "isu_contribution": "a contribution paid to the Implementation Support Unit (Table 5)",
    # Article 9 / DAP actions 7.1-7.3
    "legislation_sufficient": "existing legislation deemed sufficient (para 96(a))",
    "legislation_in_progress": "legislation still being developed (para 96(c))",
    "implementation_measures_adopted": "new legal, administrative and/or other implementation measures adopted (para 96(d))",
}
