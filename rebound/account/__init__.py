"""One user's data as a whole: bulk import, export of every table, backup restore, delete-all,
demo data in and out.

repository.py  AccountRepository (store.account)
"""
