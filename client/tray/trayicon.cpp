// SPDX-License-Identifier: Apache-2.0
#include "trayicon.h"

#include "model/deliverypreferences.h"
#include "model/notificationlistmodel.h"
#include "tray/traylog.h"

#include <QAction>
#include <QActionGroup>
#include <QLocale>
#include <QMenu>
#include <QSystemTrayIcon>
#include <QTimer>

#include <climits>

using namespace Qt::StringLiterals;

namespace herald::client {

namespace {
QString elided(const QString &text)
{
    const QString line = text.section(u'\n', 0, 0);
    return line.size() > 60 ? line.left(59) + u'…' : line;
}
} // namespace

TrayIcon::TrayIcon(NotificationListModel *model, QObject *parent)
    : QObject(parent), m_model(model), m_tray(new QSystemTrayIcon(this)), m_menu(new QMenu),
      m_dndMenu(new QMenu(tr("Do not disturb"), m_menu))
{
    m_tray->setContextMenu(m_menu);
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason r) {
        if (r == QSystemTrayIcon::Trigger || r == QSystemTrayIcon::DoubleClick)
            Q_EMIT showListRequested();
    });
    connect(m_model, &NotificationListModel::unreadCountChanged, this, &TrayIcon::scheduleRefresh);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &TrayIcon::scheduleRefresh);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &TrayIcon::scheduleRefresh);
    refresh();
}

TrayIcon::~TrayIcon()
{
    delete m_menu; // a context menu has no parent widget
}

void TrayIcon::show()
{
    m_tray->show();
    qCInfo(lcTray) << "tray icon shown; system tray available:"
                   << QSystemTrayIcon::isSystemTrayAvailable();
}

void TrayIcon::setState(TrayState state, const QString &detail)
{
    if (state == m_state && detail == m_detail)
        return;
    m_state = state;
    m_detail = detail;
    scheduleRefresh();
}

void TrayIcon::setDoNotDisturbUntil(const QDateTime &until)
{
    m_dndUntil = until;
    scheduleRefresh();
}

void TrayIcon::setUnseen(qint64 count)
{
    if (count == m_unseen)
        return;
    m_unseen = count;
    scheduleRefresh();
}

QString TrayIcon::stateName() const
{
    return TrayIconRenderer::stateName(m_state, m_shownUnread);
}

void TrayIcon::scheduleRefresh()
{
    // Coalesce a burst (a backlog of 100) into one repaint and one menu rebuild.
    if (m_refreshPending)
        return;
    m_refreshPending = true;
    QTimer::singleShot(0, this, [this] {
        m_refreshPending = false;
        refresh();
    });
}

void TrayIcon::refresh()
{
    const int unread =
        m_unseen >= 0 ? int(std::min<qint64>(m_unseen, INT_MAX)) : m_model->unreadCount();
    m_tray->setIcon(TrayIconRenderer::icon(m_state, unread));
    QString tip = u"Herald"_s;
    if (!m_detail.isEmpty())
        tip += u" — "_s + m_detail;
    if (unread > 0)
        tip += u"\n"_s +
               (m_unseen >= 0 ? tr("%n new", nullptr, unread) : tr("%n unread", nullptr, unread));
    m_tray->setToolTip(tip);
    if (unread != m_shownUnread) {
        qCInfo(lcTray) << "badge" << unread << (m_unseen >= 0 ? "unseen" : "unread") << "state"
                       << TrayIconRenderer::stateName(m_state, unread);
        m_shownUnread = unread;
    }
    rebuildMenu();
}

void TrayIcon::rebuildMenu()
{
    m_menu->clear();
    const QList<Notification> latest = m_model->latestUnread(LatestInMenu);
    if (latest.isEmpty()) {
        m_menu->addAction(tr("No unread notifications"))->setEnabled(false);
    } else {
        for (const Notification &n : latest) {
            const QString text = (n.title.isEmpty() ? elided(n.message) : elided(n.title)) +
                                 u"  ("_s + n.channel + u')';
            const NotificationId id = n.id;
            m_menu->addAction(text, this, [this, id] { Q_EMIT notificationChosen(id); });
        }
    }
    m_menu->addSeparator();
    QAction *markAll =
        m_menu->addAction(tr("Mark all as read"), this, &TrayIcon::markAllReadRequested);
    markAll->setEnabled(!latest.isEmpty());

    m_dndMenu->clear();
    const QDateTime now = QDateTime::currentDateTime();
    const bool dndActive = m_dndUntil.isValid() && now < m_dndUntil;
    if (dndActive) {
        const QString until = m_dndUntil == DeliveryPreferences::Forever
                                  ? tr("On until turned off")
                                  : tr("On until %1")
                                        .arg(QLocale().toString(m_dndUntil.toLocalTime().time(),
                                                                QLocale::ShortFormat));
        m_dndMenu->addAction(until)->setEnabled(false);
        m_dndMenu->addAction(tr("Turn off"), this, [this] { Q_EMIT doNotDisturbRequested({}); });
        m_dndMenu->addSeparator();
    }
    m_dndMenu->addAction(tr("For 1 hour"), this, [this] {
        Q_EMIT doNotDisturbRequested(QDateTime::currentDateTime().addSecs(3600));
    });
    m_dndMenu->addAction(tr("Until tomorrow morning"), this, [this] {
        const QDateTime morning(QDate::currentDate().addDays(1), QTime(8, 0));
        Q_EMIT doNotDisturbRequested(morning);
    });
    m_dndMenu->addAction(tr("Until turned off"), this,
                         [this] { Q_EMIT doNotDisturbRequested(DeliveryPreferences::Forever); });
    QAction *dnd = m_menu->addMenu(m_dndMenu);
    dnd->setCheckable(true);
    dnd->setChecked(dndActive);

    m_menu->addSeparator();
    m_menu->addAction(tr("Notifications…"), this, &TrayIcon::showListRequested);
    m_menu->addAction(tr("Settings…"), this, &TrayIcon::settingsRequested);
    m_menu->addSeparator();
    m_menu->addAction(tr("Quit"), this, &TrayIcon::quitRequested);
}

} // namespace herald::client
