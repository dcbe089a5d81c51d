// SPDX-License-Identifier: Apache-2.0
#include "store/migrator.h"

#include "store/storelog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

const QString SchemaTable = u"herald_schema"_s;

} // namespace

Migrator::Migrator(QSqlDatabase &db, const Dialect &dialect, QString resourceRoot)
    : m_db(db), m_dialect(dialect), m_root(std::move(resourceRoot))
{
}

Result<QList<Migrator::Step>> Migrator::steps() const
{
    static const QRegularExpression fileName(u"^(\\d{4})_[a-z0-9_]+\\.sql$"_s);
    const QDir dir(m_root + u'/' + m_dialect.name());
    QList<Step> result;
    const QStringList files = dir.entryList(QDir::Files, QDir::Name);
    for (const QString &file : files) {
        const QRegularExpressionMatch match = fileName.match(file);
        if (!match.hasMatch()) {
            return fail(ErrorCode::Internal,
                        u"migration file %1 is not named NNNN_what.sql"_s.arg(dir.filePath(file)));
        }
        const int version = match.captured(1).toInt();
        if (version != result.size() + 1) {
            return fail(ErrorCode::Internal,
                        u"migration file %1: expected version %2 next"_s.arg(dir.filePath(file))
                            .arg(result.size() + 1));
        }
        result.append(Step{version, dir.filePath(file)});
    }
    if (result.isEmpty()) {
        return fail(ErrorCode::Internal,
                    u"no migration files in %1 (resources not linked in?)"_s.arg(dir.path()));
    }
    return result;
}

Result<int> Migrator::latestVersion() const
{
    auto known = steps();
    if (!known)
        return tl::unexpected(known.error());
    return int(known->size());
}

Result<int> Migrator::currentVersion() const
{
    auto tables = m_dialect.tables(m_db);
    if (!tables)
        return tl::unexpected(tables.error());
    if (!tables->contains(SchemaTable)) {
        if (!tables->isEmpty()) {
            return fail(ErrorCode::Unavailable,
                        u"database %1 has tables but no %2: not a Herald database"_s.arg(
                            m_dialect.displayName(), SchemaTable));
        }
        return 0;
    }
    QSqlQuery query(m_db);
    if (!query.exec(u"SELECT version FROM herald_schema"_s) || !query.next()) {
        return fail(ErrorCode::Unavailable,
                    u"database %1: cannot read its schema version: %2"_s.arg(
                        m_dialect.displayName(), query.lastError().text()));
    }
    return query.value(0).toInt();
}

Result<int> Migrator::migrate(std::optional<int> target)
{
    auto known = steps();
    if (!known)
        return tl::unexpected(known.error());
    const int latest = int(known->size());
    auto current = currentVersion();
    if (!current)
        return current;
    if (*current > latest) {
        return fail(ErrorCode::Unavailable,
                    u"database schema version %1 is newer than this herald-syncd (knows up to "
                    "%2); upgrade herald-syncd"_s.arg(*current)
                        .arg(latest));
    }
    const int goal = std::min(target.value_or(latest), latest);
    for (int version = *current + 1; version <= goal; ++version) {
        if (auto applied = apply(known->at(version - 1)); !applied)
            return tl::unexpected(applied.error());
    }
    return std::max(*current, goal);
}

Result<void> Migrator::apply(const Step &step)
{
    QFile file(step.path);
    if (!file.open(QIODevice::ReadOnly))
        return fail(ErrorCode::Internal, u"cannot read %1"_s.arg(step.path));
    const QStringList statements = splitStatements(QString::fromUtf8(file.readAll()));
    const QString name = QFileInfo(step.path).fileName();

    if (auto begun = exec(m_dialect.beginTransactionStatement(), name); !begun)
        return begun;
    auto run = [&]() -> Result<bool> {
        for (const QString &statement : m_dialect.migrationLockStatements()) {
            if (auto locked = exec(statement, name); !locked)
                return tl::unexpected(locked.error());
        }
        // Another process may have migrated while this one waited for the lock.
        auto current = currentVersion();
        if (!current)
            return tl::unexpected(current.error());
        if (*current >= step.version)
            return false;
        auto tables = m_dialect.tables(m_db);
        if (!tables)
            return tl::unexpected(tables.error());
        if (*current == 0 && !tables->contains(SchemaTable)) {
            for (const QString &statement :
                 {u"CREATE TABLE herald_schema (version INTEGER NOT NULL)"_s,
                  u"INSERT INTO herald_schema (version) VALUES (0)"_s}) {
                if (auto done = exec(statement, name); !done)
                    return tl::unexpected(done.error());
            }
        }
        for (qsizetype i = 0; i < statements.size(); ++i) {
            if (auto done = exec(statements.at(i), u"%1, statement %2"_s.arg(name).arg(i + 1));
                !done)
                return tl::unexpected(done.error());
        }
        QSqlQuery bump(m_db);
        bump.prepare(u"UPDATE herald_schema SET version = ?"_s);
        bump.addBindValue(step.version);
        if (!bump.exec()) {
            return fail(ErrorCode::Internal,
                        u"%1: cannot record the version: %2"_s.arg(name, bump.lastError().text()));
        }
        return true;
    };
    auto ran = run();
    if (!ran) {
        exec(u"ROLLBACK"_s, name);
        return tl::unexpected(ran.error());
    }
    if (auto committed = exec(u"COMMIT"_s, name); !committed) {
        exec(u"ROLLBACK"_s, name);
        return committed;
    }
    if (*ran) {
        qCInfo(lcStore) << "database" << m_dialect.displayName() << "migrated to schema version"
                        << step.version << "(" << name << ")";
    }
    return {};
}

Result<void> Migrator::exec(const QString &statement, const QString &where)
{
    QSqlQuery query(m_db);
    if (!query.exec(statement)) {
        return fail(ErrorCode::Internal,
                    u"migration %1 failed: %2"_s.arg(where, query.lastError().text()));
    }
    return {};
}

QStringList Migrator::splitStatements(const QString &sql)
{
    QStringList statements;
    QString current;
    auto flush = [&] {
        const QString statement = current.trimmed();
        if (!statement.isEmpty())
            statements.append(statement);
        current.clear();
    };
    const qsizetype size = sql.size();
    for (qsizetype i = 0; i < size; ++i) {
        const QChar c = sql.at(i);
        const QChar next = i + 1 < size ? sql.at(i + 1) : QChar();
        if (c == u'\'' || c == u'"') {
            // Quoted text or identifier; a doubled quote inside is an escaped quote.
            qsizetype end = i + 1;
            while (end < size) {
                if (sql.at(end) == c) {
                    if (end + 1 < size && sql.at(end + 1) == c) {
                        end += 2;
                        continue;
                    }
                    break;
                }
                ++end;
            }
            current += QStringView(sql).mid(i, std::min(end, size - 1) - i + 1);
            i = end;
        } else if (c == u'-' && next == u'-') {
            while (i < size && sql.at(i) != u'\n')
                ++i;
            current += u'\n';
        } else if (c == u'/' && next == u'*') {
            const qsizetype end = sql.indexOf(u"*/"_s, i + 2);
            i = end < 0 ? size : end + 1;
            current += u' ';
        } else if (c == u';') {
            flush();
        } else {
            current += c;
        }
    }
    flush();
    return statements;
}

} // namespace herald::syncd
