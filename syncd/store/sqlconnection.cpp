// SPDX-License-Identifier: Apache-2.0
#include "store/sqlconnection.h"

#include "store/storelog.h"

#include <QSqlError>

#include <atomic>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

QString uniqueConnectionName()
{
    static std::atomic<int> counter{0};
    return u"herald-store-%1"_s.arg(++counter);
}

constexpr qsizetype MaxPreparedStatements = 200;

// [A-Za-z_][A-Za-z0-9_]{0,62}, checked by hand: it runs twice per store operation.
bool isIdentifier(const QString &name)
{
    if (name.isEmpty() || name.size() > 63)
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char16_t c = name.at(i).unicode();
        const bool letter = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_';
        if (!letter && (i == 0 || c < u'0' || c > u'9'))
            return false;
    }
    return true;
}

} // namespace

Result<std::unique_ptr<SqlConnection>> SqlConnection::open(std::unique_ptr<Dialect> dialect)
{
    // Owned from here on, so that every early return removes the connection again (and no
    // other handle to it is left that would keep it "in use").
    const QString driver = dialect->driverName();
    std::unique_ptr<SqlConnection> connection(new SqlConnection(
        QSqlDatabase::addDatabase(driver, uniqueConnectionName()), std::move(dialect)));
    if (!connection->m_db.isValid()) {
        return fail(ErrorCode::Unavailable,
                    u"database: the Qt SQL driver %1 is not installed"_s.arg(
                        connection->dialect().driverName()));
    }
    connection->dialect().setConnectionParameters(connection->m_db);
    if (!connection->m_db.open()) {
        return fail(ErrorCode::Unavailable,
                    u"database %1: cannot open: %2"_s.arg(connection->dialect().displayName(),
                                                          connection->m_db.lastError().text()));
    }
    return connection;
}

SqlConnection::SqlConnection(QSqlDatabase db, std::unique_ptr<Dialect> dialect)
    : m_db(std::move(db)), m_dialect(std::move(dialect))
{
}

SqlConnection::~SqlConnection()
{
    const QString name = m_db.connectionName();
    if (m_inTransaction)
        rollback();
    m_active.clear();
    m_statements.clear();
    m_direct.reset(); // its statements must be gone before SQLite closes
    m_db.close();
    m_db = QSqlDatabase(); // removeDatabase() wants no handle left
    QSqlDatabase::removeDatabase(name);
}

Error SqlConnection::errorFor(const QSqlError &error, const QString &what) const
{
    qCWarning(lcStore) << what << "failed:" << error.text();
    return Error{m_dialect->errorCodeFor(error), u"database: %1"_s.arg(error.text())};
}

void SqlConnection::finishStatements()
{
    for (QSqlQuery &query : m_active)
        query.finish();
    m_active.clear();
}

Result<void> SqlConnection::execute(const QString &statement)
{
    finishStatements();
    if (SqliteDirect *direct = this->direct()) {
        if (auto done = direct->write(statement, {}); !done)
            return tl::unexpected(done.error());
        return {};
    }
    if (m_dialect->preparesTransactionControl()) {
        auto query = prepare(statement);
        if (!query)
            return tl::unexpected(query.error());
        const bool ran = query->exec();
        const QSqlError error = query->lastError();
        query->finish(); // a finished COMMIT or RELEASE holds nothing open
        if (!ran)
            return tl::unexpected(errorFor(error, statement));
        return {};
    }
    QSqlQuery query(m_db);
    if (!query.exec(statement))
        return tl::unexpected(errorFor(query.lastError(), statement));
    return {};
}

Result<void> SqlConnection::begin()
{
    if (m_inTransaction)
        return fail(ErrorCode::Internal, u"database: a transaction is already open"_s);
    auto begun = execute(m_dialect->beginTransactionStatement());
    if (!begun && begun.error().code == ErrorCode::Unavailable &&
        m_dialect->reconnectsAfterError()) {
        qCWarning(lcStore) << "database" << m_dialect->displayName()
                           << "failed; connecting again:" << begun.error().message;
        begun = reconnect();
        if (begun)
            begun = execute(m_dialect->beginTransactionStatement());
    }
    if (!begun)
        return begun;
    m_inTransaction = true;
    m_savepointDepth = 0;
    ++m_transactionEpoch;
    m_journal.rolledBack();
    return {};
}

Result<void> SqlConnection::configure(const QString &synchronous)
{
    m_synchronous = synchronous;
    return m_dialect->configure(m_db, synchronous);
}

Result<void> SqlConnection::reconnect()
{
    // Prepared statements live in the server's session: they die with the connection
    // (closed first, so that Qt does not try to free them on the dead one).
    m_direct.reset();
    m_directTried = false;
    m_db.close();
    m_active.clear();
    m_statements.clear();
    ++m_transactionEpoch;
    if (!m_db.open()) {
        return fail(ErrorCode::Unavailable, u"database %1: cannot open: %2"_s.arg(
                                                m_dialect->displayName(), m_db.lastError().text()));
    }
    return m_dialect->configure(m_db, m_synchronous);
}

Result<void> SqlConnection::commit()
{
    if (!m_inTransaction)
        return fail(ErrorCode::Internal, u"database: commit without a transaction"_s);
    // On failure the transaction stays open: the caller decides to roll back.
    if (auto committed = execute(u"COMMIT"_s); !committed)
        return committed;
    m_inTransaction = false;
    m_savepointDepth = 0;
    ++m_transactionEpoch;
    m_journal.committed();
    return {};
}

void SqlConnection::rollback()
{
    if (!m_inTransaction)
        return;
    // SQLite may already have rolled back by itself (e.g. after SQLITE_FULL); the error
    // "no transaction is active" is harmless then.
    finishStatements();
    QSqlQuery query(m_db);
    if (!query.exec(u"ROLLBACK"_s))
        qCDebug(lcStore) << "ROLLBACK:" << query.lastError().text();
    m_inTransaction = false;
    m_savepointDepth = 0;
    ++m_transactionEpoch;
    m_journal.rolledBack();
}

Result<void> SqlConnection::savepoint(const QString &name)
{
    if (!isIdentifier(name))
        return fail(ErrorCode::BadRequest, u"savepoint: '%1' is not an identifier"_s.arg(name));
    auto saved = execute(u"SAVEPOINT "_s + name);
    if (saved) {
        ++m_savepointDepth;
        m_journal.pushMark();
    }
    return saved;
}

Result<void> SqlConnection::releaseSavepoint(const QString &name)
{
    if (!isIdentifier(name))
        return fail(ErrorCode::BadRequest, u"savepoint: '%1' is not an identifier"_s.arg(name));
    auto released = execute(u"RELEASE SAVEPOINT "_s + name);
    if (released) {
        --m_savepointDepth;
        m_journal.popMark();
    }
    return released;
}

void SqlConnection::rollbackToSavepoint(const QString &name)
{
    if (!isIdentifier(name))
        return;
    // ROLLBACK TO keeps the savepoint open; RELEASE then drops it, with nothing left in it.
    (void)execute(u"ROLLBACK TO SAVEPOINT "_s + name);
    (void)execute(u"RELEASE SAVEPOINT "_s + name);
    m_journal.rollbackToMark();
    m_journal.popMark();
    --m_savepointDepth;
    ++m_transactionEpoch;
}

Result<void> SqlConnection::atomically(const std::function<Result<void>()> &work)
{
    if (!m_inTransaction) {
        if (auto begun = begin(); !begun)
            return begun;
        auto done = work();
        if (done)
            done = commit();
        if (!done)
            rollback();
        return done;
    }
    // Inside a savepoint already (StoreThread runs each operation in one): an error makes
    // the work return it, and whoever opened that savepoint rolls back to it, so another
    // savepoint here would only cost two statements.
    if (m_savepointDepth > 0)
        return work();
    const QString name = u"herald_atomic_%1"_s.arg(++m_atomicDepth);
    auto done = savepoint(name);
    if (done) {
        done = work();
        if (done)
            done = releaseSavepoint(name);
        if (!done)
            rollbackToSavepoint(name);
    }
    --m_atomicDepth;
    return done;
}

Result<QSqlQuery> SqlConnection::prepare(const QString &sql)
{
    if (auto cached = m_statements.constFind(sql); cached != m_statements.cend())
        return *cached;
    QSqlQuery query(m_db);
    // Rows are read once, front to back; this saves Qt from caching them.
    query.setForwardOnly(true);
    if (!query.prepare(sql))
        return tl::unexpected(errorFor(query.lastError(), sql));
    // The backlog builds statements for any number of channels: keep the cache bounded.
    if (m_statements.size() >= MaxPreparedStatements) {
        finishStatements();
        m_statements.clear();
    }
    m_statements.insert(sql, query);
    return query;
}

Result<void> SqlConnection::exec(QSqlQuery &query, const QVariantList &values)
{
    // Finish the others (the previous statement's result was read by now); keep this one's
    // prepared statement. Shared copies compare by their result.
    for (QSqlQuery &other : m_active) {
        if (other.result() != query.result())
            other.finish();
    }
    m_active.clear();
    m_active.append(query);
    for (qsizetype i = 0; i < values.size(); ++i) {
        const QVariant &value = values.at(i);
        // A null QString means "no text", not SQL NULL: the text columns are NOT NULL. SQL NULL
        // is bound from an invalid QVariant.
        if (value.typeId() == QMetaType::QString && value.toString().isNull())
            query.bindValue(int(i), QStringLiteral(""));
        else
            query.bindValue(int(i), value);
    }
    if (!query.exec())
        return tl::unexpected(errorFor(query.lastError(), query.lastQuery()));
    return {};
}

Result<QSqlQuery> SqlConnection::run(const QString &sql, const QVariantList &values)
{
    auto query = prepare(sql);
    if (!query)
        return query;
    if (auto done = exec(*query, values); !done)
        return tl::unexpected(done.error());
    return query;
}

Result<int> SqlConnection::write(const QString &sql, const QVariantList &values)
{
    if (SqliteDirect *direct = this->direct()) {
        finishStatements(); // as exec() does: no other statement keeps a snapshot
        return direct->write(sql, values);
    }
    auto query = prepare(sql);
    if (!query)
        return tl::unexpected(query.error());
    if (auto done = exec(*query, values); !done)
        return tl::unexpected(done.error());
    return query->numRowsAffected();
}

Result<std::optional<qint64>> SqlConnection::readInteger(const QString &sql,
                                                         const QVariantList &values)
{
    if (SqliteDirect *direct = this->direct()) {
        finishStatements();
        return direct->readInteger(sql, values);
    }
    auto query = run(sql, values);
    if (!query)
        return tl::unexpected(query.error());
    if (!query->next() || query->isNull(0))
        return std::optional<qint64>();
    return std::optional<qint64>(query->value(0).toLongLong());
}

SqliteDirect *SqlConnection::direct()
{
    if (!m_directTried) {
        m_directTried = true;
        m_direct = SqliteDirect::attach(m_db);
    }
    return m_direct.get();
}

} // namespace herald::syncd
