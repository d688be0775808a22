"""Reporting periods: the years, their deadlines and the municipalities' extensions.

Below ``returns``, ``review`` and ``mail`` (which all ask "which year, and by when?"); imports only the foundation.
"""
