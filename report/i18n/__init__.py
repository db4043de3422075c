"""The builder's own words, numbers and dates in each language it supports.

Below every stage: data exports, templates and charts all need them.
"""
