// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/notification.h"

#include <QUrl>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QModelIndex;
class QPushButton;
class QStackedWidget;
class QTimer;
class QTreeView;

namespace herald::client {

struct CardButton;
class NotificationCardDelegate;
class NotificationFilterModel;
class NotificationListModel;

// The notification list: a tree view over the model, its rows painted as cards by
// NotificationCardDelegate (grouped under application/channel headers, unread bold; a rollup
// is one card, collapsed, its members under it) with search, "unread only", mark read, open
// link, copy text, delete and delete all, the same from the keyboard, and a text of its own
// when there is nothing to show. It owns no connection; what
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

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    QList<NotificationId> selectedIds() const;
    // The unread ids the row stands for (see selectedIds()).
    QList<NotificationId> unreadIdsOf(const QModelIndex &row) const;
    void onCardButton(const QModelIndex &index, const herald::client::CardButton &button);
    // Enter on the current row: opens its link or folds it open or shut.
    void activateCurrent();
    void toggle(const QModelIndex &index);
    void clearSearchOrClose();
    void updateEmptyState();
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
    NotificationCardDelegate *m_delegate;
    QStackedWidget *m_pages; // the list, or the empty state
    QLabel *m_empty;
    QTimer *m_clock; // repaints the relative times while the window shows
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
