// Copying text for the copy buttons. navigator.clipboard exists only in secure contexts, and a
// self-hosted instance is often reached over plain http on a LAN address: there the hidden
// textarea with execCommand("copy") is the only way left.
export async function copyText(text: string): Promise<void> {
  if (typeof navigator !== "undefined" && navigator.clipboard?.writeText) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  try {
    area.select();
    // Deprecated but still the only synchronous copy outside secure contexts.
    if (!document.execCommand("copy")) throw new Error("The browser refused to copy.");
  } finally {
    area.remove();
  }
}
