"""Data rights (issue 13, item 7a): User.deleted_at marks an account its owner deleted. The
row stays as a tombstone (empty name, no e-mail or username) so that what they wrote in
shared spaces keeps pointing at it, shown as "Former member"."""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column('user', 'deleted_at', DateTimeField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('user', 'deleted_at'))
