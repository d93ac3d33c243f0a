"""Records as FHIR R4 resources: the records-request export today, ABDM's health
information sharing later (`patient_bundle`, `chart_resources`, `resources.*`).

Sits above the domain apps (it reads them) and below the views; it never imports
`abdm`, `api` or `sync`.
"""
