"""Notifications store what happened (a message key and its parameters), so each reader sees
them in their own language (issue 10.7). Rows made before keep their stored text, which is
shown when a row has no message."""
from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column('notification', 'message',
                                         CharField(max_length=40, default='')))
    migrator.migrate(migrator.add_column('notification', 'params', TextField(default='')))


def down(migrator, db):
    migrator.migrate(migrator.drop_column('notification', 'params'))
    migrator.migrate(migrator.drop_column('notification', 'message'))
