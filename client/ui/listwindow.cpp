// SPDX-License-Identifier: Apache-2.0
#include "listwindow.h"

#include "model/notificationfiltermodel.h"
#include "model/notificationlistmodel.h"
#include "ui/notificationcarddelegate.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QShortcut>
#include <QStackedWidget>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace herald::client {

ListWindow::ListWindow(NotificationListModel *model, QWidget *parent)
    : QWidget(parent), m_model(model), m_filter(new NotificationFilterModel(this)),
      m_search(new QLineEdit(this)), m_unreadOnly(new QCheckBox(tr("Unread only"), this)),
      m_view(new QTreeView(this)), m_delegate(new NotificationCardDelegate(this)),
      m_pages(new QStackedWidget(this)), m_empty(new QLabel(this)), m_clock(new QTimer(this)),
      m_markRead(new QPushButton(tr("Mark as read"), this)),
      m_markAllRead(new QPushButton(tr("Mark all as read"), this)),
      m_open(new QPushButton(tr("Open link"), this)),
      m_copy(new QPushButton(tr("Copy text"), this)), m_delete(new QPushButton(tr("Delete"), this)),
      m_deleteAll(new QPushButton(tr("Delete all"), this)), m_status(new QLabel(this)),
      m_onlyBar(new QWidget(this)), m_onlyText(new QLabel(m_onlyBar))
{
    setWindowTitle(tr("Herald notifications"));
    setWindowIcon(QIcon(u":/icons/herald.svg"_s));
    resize(800, 560); // wide enough for the button row, so it does not grow once shown

    m_filter->setSourceModel(m_model);
    m_search->setPlaceholderText(tr("Search"));
    m_search->setClearButtonEnabled(true);
    m_view->setModel(m_filter);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    // One column of cards: the title, message and time columns live inside each card.
    m_view->setHeaderHidden(true);
    m_view->setColumnHidden(NotificationListModel::MessageColumn, true);
    m_view->setColumnHidden(NotificationListModel::TimeColumn, true);
    m_view->setRootIsDecorated(false);
    m_view->setIndentation(0);
    m_view->setItemDelegate(m_delegate);
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->setExpandsOnDoubleClick(false); // a double click opens; headers fold on one click
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->installEventFilter(this);
    m_empty->setObjectName(u"emptyState"_s);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    // Looks like the list it stands in for: a framed panel in the base colour.
    m_empty->setFrameShape(QFrame::StyledPanel);
    m_empty->setBackgroundRole(QPalette::Base);
    m_empty->setAutoFillBackground(true);
    m_pages->addWidget(m_view);
    m_pages->addWidget(m_empty);
    expandChannels({}, 0, m_filter->rowCount() - 1);

    auto *top = new QHBoxLayout;
    top->addWidget(m_search, 1);
    top->addWidget(m_unreadOnly);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_markRead);
    buttons->addWidget(m_markAllRead);
    buttons->addWidget(m_open);
    buttons->addWidget(m_copy);
    buttons->addWidget(m_delete);
    buttons->addWidget(m_deleteAll);
    buttons->addStretch(1);
    buttons->addWidget(m_status);
    auto *onlyLayout = new QHBoxLayout(m_onlyBar);
    onlyLayout->setContentsMargins(0, 0, 0, 0);
    onlyLayout->addWidget(m_onlyText, 1);
    auto *showAllButton = new QPushButton(tr("Show all"), m_onlyBar);
    onlyLayout->addWidget(showAllButton);
    connect(showAllButton, &QPushButton::clicked, this, &ListWindow::showAll);
    m_onlyBar->hide();
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_onlyBar);
    layout->addWidget(m_pages, 1);
    layout->addLayout(buttons);

    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filter->setSearchText(text);
        expandChannels({}, 0, m_filter->rowCount() - 1);
        updateEmptyState();
    });
    connect(m_unreadOnly, &QCheckBox::toggled, this, [this](bool on) {
        m_filter->setUnreadOnly(on);
        expandChannels({}, 0, m_filter->rowCount() - 1);
        updateEmptyState();
    });
    connect(m_delegate, &NotificationCardDelegate::buttonClicked, this, &ListWindow::onCardButton);
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &ListWindow::updateEmptyState);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &ListWindow::updateEmptyState);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &ListWindow::updateEmptyState);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &ListWindow::updateEmptyState);
    // One timer for the whole view: relative times ("5 min ago") move on with a repaint.
    m_clock->setObjectName(u"relativeTimeClock"_s);
    m_clock->setInterval(std::chrono::seconds(30));
    connect(m_clock, &QTimer::timeout, m_view->viewport(), qOverload<>(&QWidget::update));
    auto *find = new QShortcut(QKeySequence::Find, this);
    connect(find, &QShortcut::activated, this, [this] {
        m_search->setFocus(Qt::ShortcutFocusReason);
        m_search->selectAll();
    });
    auto *escape = new QShortcut(Qt::Key_Escape, this);
    connect(escape, &QShortcut::activated, this, &ListWindow::clearSearchOrClose);
    // New channel groups open expanded; rollups stay one row until opened.
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &ListWindow::expandChannels);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ListWindow::updateButtons);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &ListWindow::updateButtons);
    connect(m_view, &QTreeView::doubleClicked, this, [this] {
        const QString url = selectedUrl();
        if (!url.isEmpty())
            Q_EMIT openUrlRequested(QUrl(url));
        Q_EMIT markReadRequested(selectedIds());
    });
    connect(m_view, &QWidget::customContextMenuRequested, this, &ListWindow::showContextMenu);
    connect(m_markRead, &QPushButton::clicked, this,
            [this] { Q_EMIT markReadRequested(selectedIds()); });
    connect(m_markAllRead, &QPushButton::clicked, this, &ListWindow::markAllReadRequested);
    connect(m_open, &QPushButton::clicked, this, [this] {
        Q_EMIT openUrlRequested(QUrl(selectedUrl()));
        Q_EMIT markReadRequested(selectedIds());
    });
    connect(m_copy, &QPushButton::clicked, this, &ListWindow::copySelection);
    connect(m_delete, &QPushButton::clicked, this,
            [this] { Q_EMIT deleteRequested(selectedMemberIds()); });
    m_delete->setShortcut(QKeySequence::Delete);
    connect(m_deleteAll, &QPushButton::clicked, this, &ListWindow::confirmDeleteAll);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &ListWindow::updateButtons);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &ListWindow::updateButtons);
    auto *copyShortcut = new QShortcut(QKeySequence::Copy, m_view);
    connect(copyShortcut, &QShortcut::activated, this, &ListWindow::copySelection);
    updateButtons();
    updateEmptyState();
}

void ListWindow::present()
{
    show();
    setWindowState((windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
    raise();
    activateWindow();
}

void ListWindow::select(NotificationId id)
{
    showAll();
    m_search->clear();
    m_unreadOnly->setChecked(false);
    const QModelIndex index = m_filter->mapFromSource(m_model->indexOf(id));
    if (!index.isValid())
        return;
    m_view->expand(index.parent());
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index);
}

void ListWindow::showOnly(const QList<NotificationId> &ids)
{
    m_search->clear();
    m_unreadOnly->setChecked(false);
    m_filter->setIdFilter(ids);
    m_onlyText->setText(tr("Showing %n notification(s) from a popup.", nullptr, int(ids.size())));
    m_onlyBar->setVisible(!ids.isEmpty());
    m_view->expandAll(); // what the popup stood for, rollup members too
    updateEmptyState();
}

void ListWindow::showAll()
{
    m_filter->setIdFilter({});
    m_onlyBar->hide();
    expandChannels({}, 0, m_filter->rowCount() - 1);
    updateEmptyState();
}

void ListWindow::setConnectionText(const QString &text)
{
    m_status->setText(text);
}

QList<NotificationId> ListWindow::selectedIds() const
{
    QList<NotificationId> ids;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &row : rows)
        ids << unreadIdsOf(row);
    return ids;
}

QList<NotificationId> ListWindow::unreadIdsOf(const QModelIndex &row) const
{
    QList<NotificationId> ids;
    if (row.data(NotificationListModel::IsRollupRole).toBool()) {
        // A rollup stands for all its members, also those without a row here.
        if (row.data(NotificationListModel::UnreadRole).toBool())
            ids << row.data(NotificationListModel::MemberIdsRole).value<QList<NotificationId>>();
    } else if (row.data(NotificationListModel::IsGroupRole).toBool()) {
        // A group row stands for all its unread notifications.
        for (int i = 0; i < m_filter->rowCount(row); ++i) {
            const QModelIndex child = m_filter->index(i, 0, row);
            if (child.data(NotificationListModel::UnreadRole).toBool())
                ids << child.data(NotificationListModel::IdRole).toLongLong();
        }
    } else if (row.data(NotificationListModel::UnreadRole).toBool()) {
        ids << row.data(NotificationListModel::IdRole).toLongLong();
    }
    return ids;
}

void ListWindow::onCardButton(const QModelIndex &index, const CardButton &button)
{
    switch (button.kind) {
    case CardButton::OpenUrl:
        // The popups' "Open": open the link, and what was opened is read.
        Q_EMIT openUrlRequested(QUrl(button.url));
        Q_EMIT markReadRequested(unreadIdsOf(index));
        break;
    case CardButton::MarkRead:
        Q_EMIT markReadRequested(unreadIdsOf(index));
        break;
    case CardButton::Toggle:
        toggle(index);
        break;
    }
}

void ListWindow::activateCurrent()
{
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid())
        return;
    if (current.data(NotificationListModel::IsGroupRole).toBool()) {
        toggle(current);
        return;
    }
    const QString url = current.data(NotificationListModel::UrlRole).toString();
    if (!url.isEmpty())
        Q_EMIT openUrlRequested(QUrl(url));
    Q_EMIT markReadRequested(unreadIdsOf(current));
}

void ListWindow::toggle(const QModelIndex &index)
{
    m_view->setExpanded(index, !m_view->isExpanded(index));
}

void ListWindow::clearSearchOrClose()
{
    if (!m_search->text().isEmpty())
        m_search->clear();
    else
        close();
}

void ListWindow::updateEmptyState()
{
    const bool empty = m_filter->rowCount() == 0;
    if (empty) {
        const bool filtered = !m_search->text().isEmpty() || m_unreadOnly->isChecked() ||
                              !m_filter->idFilter().isEmpty();
        // Say why the list is empty: nothing arrived yet, or the filter hides it all.
        m_empty->setText(filtered ? u"<h3>%1</h3><p>%2</p>"_s.arg(
                                        tr("Nothing matches"),
                                        tr("No notification matches the search or \"Unread only\". "
                                           "Press Escape to clear the search."))
                                  : u"<h3>%1</h3><p>%2</p>"_s.arg(
                                        tr("No notifications"),
                                        tr("Notifications from your channels will show up here.")));
    }
    m_pages->setCurrentWidget(empty ? static_cast<QWidget *>(m_empty) : m_view);
}

void ListWindow::showEvent(QShowEvent *event)
{
    m_clock->start(); // a hidden window wakes nobody up
    m_view->viewport()->update();
    QWidget::showEvent(event);
}

void ListWindow::hideEvent(QHideEvent *event)
{
    m_clock->stop();
    QWidget::hideEvent(event);
}

bool ListWindow::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->modifiers() & ~Qt::KeypadModifier)
            return QWidget::eventFilter(watched, event);
        switch (key->key()) {
        case Qt::Key_Return:
        case Qt::Key_Enter:
            activateCurrent();
            return true;
        case Qt::Key_Space:
        case Qt::Key_R:
            Q_EMIT markReadRequested(selectedIds());
            return true;
        default:
            break;
        }
    }
    return QWidget::eventFilter(watched, event);
}

QList<NotificationId> ListWindow::selectedMemberIds() const
{
    QList<NotificationId> ids;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &row : rows)
        ids << row.data(NotificationListModel::MemberIdsRole).value<QList<NotificationId>>();
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

void ListWindow::expandChannels(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid()) {
        if (!parent.data(NotificationListModel::IsRollupRole).toBool())
            m_view->expand(parent);
        return;
    }
    for (int row = first; row <= last; ++row) {
        const QModelIndex group = m_filter->index(row, 0);
        if (!group.data(NotificationListModel::IsRollupRole).toBool())
            m_view->expand(group);
    }
}

void ListWindow::confirmDeleteAll()
{
    const auto answer =
        QMessageBox::question(this, tr("Delete all notifications"),
                              tr("Delete every notification in your inbox, on all your devices?"),
                              QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes)
        Q_EMIT deleteAllRequested();
}

QString ListWindow::selectedUrl() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.data(NotificationListModel::UrlRole).toString() : QString();
}

void ListWindow::updateButtons()
{
    m_markRead->setEnabled(!selectedIds().isEmpty());
    m_markAllRead->setEnabled(m_model->unreadCount() > 0);
    m_open->setEnabled(!selectedUrl().isEmpty());
    const QModelIndex current = m_view->currentIndex();
    m_copy->setEnabled(current.isValid() &&
                       !current.data(NotificationListModel::IsGroupRole).toBool());
    m_delete->setEnabled(m_view->selectionModel()->hasSelection());
    m_deleteAll->setEnabled(m_model->totalCount() > 0);
}

void ListWindow::copySelection()
{
    QStringList texts;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &row : rows) {
        if (!row.data(NotificationListModel::IsGroupRole).toBool())
            texts << row.data(NotificationListModel::CopyTextRole).toString();
    }
    if (!texts.isEmpty())
        QApplication::clipboard()->setText(texts.join(u"\n\n"_s));
}

void ListWindow::showContextMenu(const QPoint &pos)
{
    if (!m_view->indexAt(pos).isValid())
        return;
    QMenu menu(this);
    menu.addAction(tr("Mark as read"), this, [this] { Q_EMIT markReadRequested(selectedIds()); })
        ->setEnabled(m_markRead->isEnabled());
    menu.addAction(tr("Open link"), this, [this] { m_open->click(); })
        ->setEnabled(m_open->isEnabled());
    menu.addAction(tr("Copy text"), this, &ListWindow::copySelection)
        ->setEnabled(m_copy->isEnabled());
    menu.addSeparator();
    menu.addAction(tr("Delete"), this, [this] { m_delete->click(); })
        ->setEnabled(m_delete->isEnabled());
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

} // namespace herald::client
