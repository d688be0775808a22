"""The public portal: what approved returns say, published for people abroad (issue 12).

``extract.public_view`` (pure) turns a return's validated answers into its public content; ``operations``
stores that as a published copy when a return is approved (or imported as approved); ``queries`` is the only
way public pages (and, later, the search and the open-data API) read it — they never read returns or answers.
"""
