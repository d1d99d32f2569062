// Customising the dashboard: drag and drop the dashlets (dashboard/_sortable.html), on top of the
// Move up / Move down forms, which keep working without JavaScript.
