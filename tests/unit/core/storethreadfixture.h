// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/storethread.h"

#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <memory>

namespace herald::syncd::testing {

// A real store thread on a fresh SQLite database per test function, for core classes whose
// work is the store's (the inbox's services): call startStore() in init(), stopStore() in
// cleanup(). runOnStore() waits for one operation's answer.
class StoreThreadFixture : public QObject
{
protected:
    bool startStore(int nodeId = 0)
    {
        m_dir = std::make_unique<QTemporaryDir>();
        if (!m_dir->isValid())
            return false;
        StoreOptions options;
        options.nodeId = nodeId; // the origin of the relay records it writes
        auto thread = StoreThread::start(m_dir->filePath(QStringLiteral("herald.db")), options);
        if (!thread) {
            qWarning() << thread.error().message;
            return false;
        }
        m_store = std::move(*thread);
        return true;
    }
    void stopStore()
    {
        m_store.reset();
        m_dir.reset();
    }
    template <typename T> bool runOnStore(std::function<Result<T>(SqlStore &)> work)
    {
        bool ok = false;
        bool done = false;
        m_store->submit<T>(std::move(work), this, [&](Result<T> result) {
            ok = bool(result);
            if (!result)
                qWarning() << result.error().message;
            done = true;
        });
        return QTest::qWaitFor([&] { return done; }, 5000) && ok;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<StoreThread> m_store;
};

} // namespace herald::syncd::testing
