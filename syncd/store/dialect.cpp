// SPDX-License-Identifier: Apache-2.0
#include "store/dialect.h"

#include "store/walsync.h"

#include "store/postgresdialect.h"
#include "store/sqlitedialect.h"

#include <QRegularExpression>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace herald::syncd {

QString Dialect::insertOrIgnore(const QString &table, const QString &columns, const QString &values,
                                const QString &conflictColumns) const
{
    return u"INSERT INTO "_s + table + u" ("_s + columns + u") VALUES ("_s + values +
           u") ON CONFLICT ("_s + conflictColumns + u") DO NOTHING"_s;
}

Result<QStringList> Dialect::tables(QSqlDatabase &db) const
{
    QStringList names = db.tables(QSql::Tables);
    names.removeIf([](const QString &name) { return name.startsWith(u"sqlite_"_s); });
    names.sort();
    return names;
}

ErrorCode Dialect::errorCodeFor(const QSqlError &error) const
{
    return error.type() == QSqlError::ConnectionError ? ErrorCode::Unavailable
                                                      : ErrorCode::Internal;
}

Result<QString> Dialect::queryValue(QSqlDatabase &db, const QString &statement)
{
    QSqlQuery query(db);
    if (!query.exec(statement)) {
        return fail(ErrorCode::Unavailable,
                    u"database: '%1' failed: %2"_s.arg(statement, query.lastError().text()));
    }
    return query.next() ? query.value(0).toString() : QString();
}

Result<std::unique_ptr<Dialect>> Dialect::forDatabase(const QString &database)
{
    if (database.trimmed().isEmpty())
        return fail(ErrorCode::BadRequest, u"database: no file path or URL given"_s);

    static const QRegularExpression scheme(u"^([A-Za-z][A-Za-z0-9+.-]*)://"_s);
    const QRegularExpressionMatch match = scheme.match(database);
    if (!match.hasMatch())
        return std::unique_ptr<Dialect>(std::make_unique<SqliteDialect>(database));

    // The URL itself is not repeated: it may carry a password.
    const QString name = match.captured(1).toLower();
    if (name == u"postgresql" || name == u"postgres") {
        auto dialect = PostgresDialect::fromUrl(database);
        if (!dialect)
            return tl::unexpected(dialect.error());
        return std::unique_ptr<Dialect>(std::move(*dialect));
    }
    return fail(ErrorCode::BadRequest,
                u"database: unsupported URL scheme '%1' (use a file path for SQLite or "
                "postgresql://user@host:port/db)"_s.arg(name));
}

Result<std::unique_ptr<WalSync>> Dialect::deferFullSync(QSqlDatabase &) const
{
    return std::unique_ptr<WalSync>();
}

} // namespace herald::syncd
