#!/bin/sh
# Runs once, when the postgresql volume is first initialised (docker-entrypoint-initdb.d): the
# application's own role and database, next to the two databases Temporal creates for itself.
# Changing APP_DB_* later has no effect on an existing volume: alter the role/database by hand.
set -eu
: "${APP_DB_NAME:?set APP_DB_NAME}"
: "${APP_DB_USER:?set APP_DB_USER}"
: "${APP_DB_PASSWORD:?set APP_DB_PASSWORD}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v app_db="$APP_DB_NAME" -v app_user="$APP_DB_USER" -v app_password="$APP_DB_PASSWORD" <<'SQL'
CREATE ROLE :"app_user" LOGIN PASSWORD :'app_password';
CREATE DATABASE :"app_db" OWNER :"app_user";
REVOKE ALL ON DATABASE :"app_db" FROM PUBLIC;
SQL
