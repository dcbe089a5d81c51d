// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QReadWriteLock>
#include <QSet>
#include <QString>

namespace herald::syncd {

// The channels and users a worker has sessions for, readable from any thread, so the Hub
// wakes only the workers that have someone to deliver to. Written by the worker only.
class InterestSet
{
public:
    bool contains(const QString &key) const
    {
        QReadLocker lock(&m_lock);
        return m_keys.contains(key);
    }
    void insert(const QString &key)
    {
        QWriteLocker lock(&m_lock);
        m_keys.insert(key);
    }
    void remove(const QString &key)
    {
        QWriteLocker lock(&m_lock);
        m_keys.remove(key);
    }

private:
    mutable QReadWriteLock m_lock;
    QSet<QString> m_keys;
};

} // namespace herald::syncd
