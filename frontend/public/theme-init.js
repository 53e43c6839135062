// Apply the saved theme before the first paint (see src/components/theme.ts).
try {
  var theme = JSON.parse(localStorage.getItem('transcriber.theme') || '"system"');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
} catch {
  /* storage unavailable: follow the system */
}
