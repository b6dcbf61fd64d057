"""The catalogue of services (seed 004: the Ústecký kraj catalogue of social services): entries
with what a detail card shows, search by keyword, type, target group, form, tab, town and
distance from a place, editing with history and providers' proposals, and the import of the
national register of social-service providers (MPSV open data).

Modules: ``text`` (diacritics-insensitive folding), ``entries`` (the store's catalogue as one
frame), ``search`` (the index and its query), ``detail`` (a card: linked measures and service
links), ``editing`` (editors' changes and proposals) and ``register`` (the MPSV import).
"""
