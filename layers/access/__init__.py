"""Accounts, roles and the audit log.

A user logs in (:mod:`layers.access.accounts`) and becomes a :class:`Principal`
(:mod:`layers.access.principal`) whose role grants rights (:mod:`layers.access.roles`).
Functions that hand out exact sensitive pins, internal exports or changes take the principal,
check its right and write the audit log (:mod:`layers.access.guarded`,
:mod:`layers.access.audit`): the check lives here, not only in what the UI hides.
"""
