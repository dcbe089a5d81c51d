// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"

#include <QUrl>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeView;

namespace herald::client {

class NotificationFilterModel;
class NotificationListModel;

// The notification list: a tree view over the model (grouped by application and channel,
// unread bold; a rollup is one row, collapsed, its members under it) with search, "unread
// only", mark read, open link, copy text, delete and delete all. It owns no connection; what
// the user asks for goes out as signals. A popup that stood for several notifications (a digest)
// opens it filtered to those, with a bar to show all again.
class ListWindow : public QWidget
{
    Q_OBJECT

public:
    // model is not owned and must outlive this.
    explicit ListWindow(NotificationListModel *model, QWidget *parent = nullptr);

    // Shows, raises and activates the window.
    void present();
    // Selects a notification (and shows all, so it is visible).
    void select(NotificationId id);
    // Shows only these notifications (their groups expanded) until the user asks for all.
    void showOnly(const QList<herald::NotificationId> &ids);
    // Ends showOnly().
    void showAll();
    void setConnectionText(const QString &text);

Q_SIGNALS:
    void markReadRequested(const QList<herald::NotificationId> &ids);
    void markAllReadRequested();
    void openUrlRequested(const QUrl &url);
    // Delete from the inbox on every device: a rollup's row stands for all its members.
    void deleteRequested(const QList<herald::NotificationId> &ids);
    // The user confirmed "Delete all".
    void deleteAllRequested();

private:
    QList<NotificationId> selectedIds() const;
    // Every id the selected rows stand for, read or not.
    QList<NotificationId> selectedMemberIds() const;
    void expandChannels(const QModelIndex &parent, int first, int last);
    void confirmDeleteAll();
    QString selectedUrl() const;
    void updateButtons();
    void copySelection();
    void showContextMenu(const QPoint &pos);

    NotificationListModel *m_model;
    NotificationFilterModel *m_filter;
    QLineEdit *m_search;
    QCheckBox *m_unreadOnly;
    QTreeView *m_view;
    QPushButton *m_markRead;
    QPushButton *m_markAllRead;
    QPushButton *m_open;
    QPushButton *m_copy;
    QPushButton *m_delete;
    QPushButton *m_deleteAll;
    QLabel *m_status;
    QWidget *m_onlyBar;
    QLabel *m_onlyText;
};

} // namespace herald::client
