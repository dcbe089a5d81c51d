// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/sqlconnection.h"

#include <QHash>

namespace herald::syncd {

// Values read from the database and remembered for the rest of the open transaction: a
// batch of the store thread asks for the same application, channel or sequence number once
// instead of once per operation. Forgotten when the transaction ends (another process may
// change the rows between transactions) and at every rollback to a savepoint (which may have
// undone the row a value came from). Outside a transaction nothing is remembered.
template <typename Key, typename Value> class TransactionCache
{
public:
    explicit TransactionCache(const SqlConnection &connection) : m_connection(connection) {}

    const Value *find(const Key &key)
    {
        forgetIfStale();
        auto it = m_values.constFind(key);
        return it == m_values.cend() ? nullptr : &*it;
    }
    void insert(const Key &key, const Value &value)
    {
        forgetIfStale();
        if (m_connection.inTransaction())
            m_values.insert(key, value);
    }
    void clear() { m_values.clear(); }

private:
    void forgetIfStale()
    {
        if (m_epoch != m_connection.transactionEpoch()) {
            m_values.clear();
            m_epoch = m_connection.transactionEpoch();
        }
    }

    const SqlConnection &m_connection;
    QHash<Key, Value> m_values;
    quint64 m_epoch = 0;
};

} // namespace herald::syncd
