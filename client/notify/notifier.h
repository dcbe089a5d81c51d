// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/backlogsummarizer.h"
#include "model/notification.h"
#include "protocol/messages.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QUrl>

namespace herald::client {

// One popup: a single notification, the summary of several of one channel, or a digest.
struct Popup
{
    QList<NotificationId> ids; // what "Mark as read" acknowledges; ascending
    QString application;
    QString channel;
    QString title;
    QString body; // plain text; backends escape it as their server needs
    QString url;  // "Open" is offered only when set
    Priority priority = Priority::Normal;
    bool summary = false;

    static Popup forNotification(const Notification &notification);
    // "12 new in ops" with the latest titles as the body.
    static Popup forGroup(const PopupGroup &group);
    // A burst that the rollup rule `rule` folds: "5 deploys in api, latest: v2.3 is live".
    static Popup forRollup(const PopupGroup &group, const QString &rule);
    // A digest: "Daily digest: 14 notifications in 3 channels", the newest titles as the body;
    // it stands for the digest's items.
    static Popup forDigest(const DigestMessage &digest);
};

// "Hourly digest: 1 notification in 1 channel", "Daily digest: 14 notifications in 3
// channels", "Weekly digest: ..." after the schedule of `period` ("Digest: ..." for one not
// known); translated, with the plural forms of the language.
QString digestTitle(const QString &period, qint64 count, int channels);

// Shows popups on the desktop and reports what the user did with them. One backend per file
// (FdoNotifier, KfNotifier, TrayBalloonNotifier); NotifierFactory picks one at run time.
// Backends live in the GUI thread and never block it (D-Bus calls are asynchronous).
class Notifier : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    // A short name for logs and the status query: "freedesktop", "knotifications", "balloon".
    virtual QString backendName() const = 0;
    // Shows a popup. May be queued until the backend is ready; never blocks.
    virtual void show(const Popup &popup) = 0;
    // These notifications were acknowledged (maybe on another device) or deleted: a popup
    // closes once every id it stands for is withdrawn. Unknown ids are ignored.
    virtual void withdraw(const QList<NotificationId> &ids) = 0;
    // How many popups are open as far as the backend knows (for the status query).
    virtual int openPopupCount() const = 0;

Q_SIGNALS:
    // The user chose "Mark as read" on a popup standing for these ids.
    void markReadRequested(const QList<herald::NotificationId> &ids);
    // The user chose "Open" on a popup with a url.
    void openUrlRequested(const QUrl &url);
    // The user clicked the popup itself: show these in the list (several: only these).
    void activated(const QList<herald::NotificationId> &ids);
};

} // namespace herald::client
