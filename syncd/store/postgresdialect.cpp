// SPDX-License-Identifier: Apache-2.0
#include "store/postgresdialect.h"

#include "store/storelog.h"

#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

// QPSQL joins the connect options into libpq's "key=value key=value" string without
// quoting, so a value must not hold spaces, quotes or semicolons.
bool isPlainOptionValue(const QString &value)
{
    static const QRegularExpression plain(u"^[A-Za-z0-9_./:@+,=-]+$"_s);
    return plain.match(value).hasMatch();
}

} // namespace

const QStringList &PostgresDialect::connectOptions()
{
    static const QStringList options = {
        u"sslmode"_s,          u"sslrootcert"_s,          u"sslcert"_s,  u"sslkey"_s,
        u"sslcrl"_s,           u"connect_timeout"_s,      u"host"_s,     u"hostaddr"_s,
        u"application_name"_s, u"target_session_attrs"_s, u"passfile"_s, u"channel_binding"_s};
    return options;
}

Result<std::unique_ptr<PostgresDialect>> PostgresDialect::fromUrl(const QString &text)
{
    // Messages never repeat the URL: it may hold a password.
    const QString form = u" (expected postgresql://user[:password]@host[:port]/dbname)"_s;
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != u"postgresql" && scheme != u"postgres"))
        return fail(ErrorCode::BadRequest, u"database: not a valid postgresql:// URL"_s + form);
    if (url.hasFragment())
        return fail(ErrorCode::BadRequest, u"database: the URL has a '#' part"_s + form);

    Parameters parameters;
    parameters.user = url.userName(QUrl::FullyDecoded);
    parameters.password = url.password(QUrl::FullyDecoded);
    parameters.host = url.host(QUrl::FullyDecoded);
    parameters.port = url.port(-1);
    QString database = url.path(QUrl::FullyDecoded);
    if (database.startsWith(u'/'))
        database.remove(0, 1);
    if (database.isEmpty() || database.contains(u'/')) {
        return fail(ErrorCode::BadRequest,
                    u"database: the postgresql URL names no database"_s + form);
    }
    parameters.database = database;

    const QUrlQuery query(url);
    const auto items = query.queryItems(QUrl::FullyDecoded);
    for (const auto &[key, value] : items) {
        if (!connectOptions().contains(key)) {
            return fail(ErrorCode::BadRequest,
                        u"database: unknown option '%1' in the postgresql URL (known: %2)"_s.arg(
                            key, connectOptions().join(u", "_s)));
        }
        if (!isPlainOptionValue(value)) {
            return fail(ErrorCode::BadRequest,
                        u"database: the value of option '%1' in the postgresql URL has "
                        "characters other than letters, digits and _./:@+,=-"_s.arg(key));
        }
        parameters.options.insert(key, value);
    }
    return std::make_unique<PostgresDialect>(std::move(parameters));
}

void PostgresDialect::setConnectionParameters(QSqlDatabase &db) const
{
    if (!m_parameters.host.isEmpty())
        db.setHostName(m_parameters.host);
    if (m_parameters.port != -1)
        db.setPort(m_parameters.port);
    if (!m_parameters.user.isEmpty())
        db.setUserName(m_parameters.user);
    if (!m_parameters.password.isEmpty())
        db.setPassword(m_parameters.password);
    db.setDatabaseName(m_parameters.database);

    // Shown in pg_stat_activity; a dead server is noticed in seconds, not minutes.
    QMap<QString, QString> options = m_parameters.options;
    if (!options.contains(u"application_name"_s))
        options.insert(u"application_name"_s, u"herald-syncd"_s);
    if (!options.contains(u"connect_timeout"_s))
        options.insert(u"connect_timeout"_s, u"10"_s);
    QStringList pairs;
    for (auto it = options.cbegin(); it != options.cend(); ++it)
        pairs.append(it.key() + u'=' + it.value());
    db.setConnectOptions(pairs.join(u';'));
}

QString PostgresDialect::displayName() const
{
    QString host = m_parameters.host;
    if (host.contains(u':'))
        host = u'[' + host + u']'; // IPv6
    QString name = u"postgresql://"_s;
    if (!m_parameters.user.isEmpty())
        name += m_parameters.user + u'@';
    name += host;
    if (m_parameters.port != -1)
        name += u':' + QString::number(m_parameters.port);
    name += u'/' + m_parameters.database;
    // A socket directory or a host list given as an option says where the server is, too.
    if (const QString option = m_parameters.options.value(u"host"_s); !option.isEmpty())
        name += u"?host="_s + option;
    return name;
}

Result<void> PostgresDialect::configure(QSqlDatabase &db, const QString &synchronous) const
{
    const QString level = synchronous.trimmed().toUpper();
    static const QStringList levels = {u"FULL"_s, u"NORMAL"_s, u"OFF"_s, u"EXTRA"_s};
    if (!levels.contains(level)) {
        return fail(ErrorCode::BadRequest,
                    u"synchronous: '%1' is not one of FULL, NORMAL, OFF, EXTRA"_s.arg(synchronous));
    }

    auto version = queryValue(db, u"SHOW server_version_num"_s);
    if (!version)
        return tl::unexpected(version.error());
    if (version->toInt() < MinimumServerVersion) {
        return fail(ErrorCode::Unavailable,
                    u"database %1: PostgreSQL server version %2 is too old (need %3 or newer)"_s
                        .arg(displayName(), *version)
                        .arg(MinimumServerVersion / 10000));
    }

    const bool waitForFlush = level == u"FULL" || level == u"EXTRA";
    const QStringList statements = {u"SET synchronous_commit = "_s +
                                        (waitForFlush ? u"on"_s : u"off"_s),
                                    u"SET lock_timeout = %1"_s.arg(LockTimeoutMs)};
    for (const QString &statement : statements) {
        if (auto done = queryValue(db, statement); !done)
            return tl::unexpected(done.error());
    }
    return {};
}

ErrorCode PostgresDialect::errorCodeFor(const QSqlError &error) const
{
    // QPSQL reports the SQLSTATE; none means libpq got no answer from the server at all.
    const QString state = error.nativeErrorCode();
    if (state.isEmpty())
        return ErrorCode::Unavailable;
    const QStringView errorClass = QStringView(state).left(2);
    if (errorClass == u"23") // integrity constraint violation
        return ErrorCode::Conflict;
    if (errorClass == u"08"     // connection exception
        || errorClass == u"53"  // insufficient resources: disk full, out of memory
        || errorClass == u"57"  // operator intervention: shutdown, statement timeout
        || errorClass == u"58"  // system error: I/O
        || state == u"40001"    // serialization failure
        || state == u"40P01"    // deadlock detected
        || state == u"55P03") { // lock not available: lock_timeout passed
        return ErrorCode::Unavailable;
    }
    return Dialect::errorCodeFor(error);
}

Result<QStringList> PostgresDialect::tables(QSqlDatabase &db) const
{
    // Only the current schema (the first of search_path that exists), where Herald's
    // CREATE TABLE statements put their tables: other schemas may hold anything.
    QSqlQuery query(db);
    if (!query.exec(u"SELECT c.relname FROM pg_catalog.pg_class c "
                    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') "
                    "ORDER BY c.relname"_s)) {
        return fail(ErrorCode::Unavailable, u"database %1: cannot list its tables: %2"_s.arg(
                                                displayName(), query.lastError().text()));
    }
    QStringList names;
    while (query.next())
        names.append(query.value(0).toString());
    return names;
}

QStringList PostgresDialect::migrationLockStatements() const
{
    return {u"SET LOCAL lock_timeout = 0"_s,
            u"SELECT pg_advisory_xact_lock(%1)"_s.arg(MigrationLockKey)};
}

} // namespace herald::syncd
