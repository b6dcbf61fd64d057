// Streamlit's own interface texts (the skip link, the file uploader, input hints, the "Page
// not found" dialog, a few labels read by screen readers) exist only in English in its
// frontend. This script, put on the page by app/ui/chrome.py with the chosen language's
// replacements, rewrites them wherever they appear now or later, and sets the page's lang
// attribute. No angle brackets in this file: the sanitiser Streamlit passes it through drops
// a script whose text looks like markup.
// CONFIG is {lang, rules: [[pattern, replacement], ...]}; a pattern is a JavaScript regular
// expression matched against a whole (trimmed) text or attribute, a replacement may use $1.
(config => {
  const state = window.__mapaChrome = window.__mapaChrome || {};
  state.lang = config.lang;
  state.rules = config.rules.map(([pattern, replacement]) => [new RegExp(pattern), replacement]);
  document.documentElement.lang = config.lang;
  const ATTRIBUTES = ['aria-label', 'title', 'placeholder'];
  const rewrite = text => {
    const trimmed = text.trim();
    for (const [pattern, replacement] of state.rules) {
      if (pattern.test(trimmed)) return text.replace(trimmed, trimmed.replace(pattern, replacement));
    }
    return null;
  };
  const visit = root => {
    if (root.nodeType === Node.TEXT_NODE) {
      const replaced = rewrite(root.nodeValue);
      if (replaced !== null && replaced !== root.nodeValue) root.nodeValue = replaced;
      return;
    }
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) visit(node);
    for (const element of [root, ...root.querySelectorAll('[aria-label],[title],[placeholder]')]) {
      for (const name of ATTRIBUTES) {
        const value = element.getAttribute(name);
        const replaced = value === null ? null : rewrite(value);
        if (replaced !== null && replaced !== value) element.setAttribute(name, replaced);
      }
    }
  };
  if (!state.observer) {
    state.observer = new MutationObserver(records => {
      for (const record of records) {
        if (record.type === 'childList') record.addedNodes.forEach(visit);
        else if (record.type === 'characterData') visit(record.target);
        else visit(record.target);
      }
    });
    state.observer.observe(document.body, {childList: true, subtree: true, characterData: true,
                                           attributes: true, attributeFilter: ATTRIBUTES});
  }
  visit(document.body);
})(CONFIG);
