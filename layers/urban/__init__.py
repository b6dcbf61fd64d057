"""Public-space tools for urbanists: service accessibility, safety audits, the system of
services and their links, and GeoPackage export of any view."""
