// @ts-check
/** Small helpers for building the page with createElement, so user text is never parsed as HTML. */

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | boolean | undefined>} [attributes] `text` sets the text content
 * @param {Array<Node | string | null | undefined>} [children]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attributes = {}, children = []) {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue
    if (name === 'text') element.textContent = String(value)
    else element.setAttribute(name, value === true ? '' : value)
  }
  for (const child of children) if (child !== null && child !== undefined) element.append(child)
  return element
}

const announcer = () => /** @type {HTMLElement} */ (document.getElementById('announcer'))

/** Tells screen-reader users what just happened. @param {string} message */
export function announce(message) {
  announcer().textContent = ''
  // A new text node after a tick makes repeated messages be read again.
  setTimeout(() => (announcer().textContent = message), 50)
}

/** Shows or clears an error paragraph. @param {HTMLElement} element @param {string | undefined} message */
export function showError(element, message) {
  element.textContent = message ?? ''
  element.hidden = !message
}
