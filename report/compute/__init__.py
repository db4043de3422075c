"""Compute: the numbers the report prints and what each edition shows.

``counts`` counts measures per status, axis, action and body, once, on the whole plan;
``selection`` narrows the measures and recommendations an edition shows.
"""
