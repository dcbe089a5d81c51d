// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QObject>
#include <QTimer>

namespace herald::syncd {

class FollowBook;
struct FollowRow;
class StoreThread;

// Fills the FollowBook: every follow at start (again a second later if the store fails), then
// once a second the follows recorded since, which are other nodes' of the same database (this
// node's own reach the book when they are committed).
//
// Threads: its own (the front thread's); the book is thread-safe.
class FollowBookLoader : public QObject
{
    Q_OBJECT
public:
    static constexpr int PollMs = 1000;
    // Clocks of nodes differ a little (NTP keeps them well within this): each poll looks this
    // far behind the newest follow seen.
    static constexpr qint64 ClockSkewMs = 5000;

    FollowBookLoader(StoreThread &store, FollowBook &book, QObject *parent = nullptr);
    void start();

private:
    void poll();
    void noteNewest(const QList<FollowRow> &rows);

    StoreThread &m_store;
    FollowBook &m_book;
    QTimer m_poll;
    qint64 m_newestMs = 0; // the newest follow seen
};

} // namespace herald::syncd
