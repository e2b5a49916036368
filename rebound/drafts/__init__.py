"""Drafts: what was typed into a form and not saved yet.

repository.py  DraftsRepository (store.drafts), encode_fields/decode_fields, drop_draft
"""
