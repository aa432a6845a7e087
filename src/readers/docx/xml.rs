//! Small helpers over roxmltree for WordprocessingML. Elements are matched by local name:
//! the transitional and strict schemas use different namespaces for the same elements.

use roxmltree::Node;

/// An attribute by its local name, in any namespace (`w:val`, `r:id`, `TargetMode`).
pub fn attr<'a>(node: Node<'a, '_>, local: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name() == local)
        .map(|a| a.value())
}

/// `w:val`.
pub fn val<'a>(node: Node<'a, '_>) -> Option<&'a str> {
    attr(node, "val")
}

/// An on/off property: present and not switched off (`w:val="0"`, `false`, `off`).
pub fn is_on(node: Node) -> bool {
    !matches!(val(node), Some("0" | "false" | "off" | "none"))
}

/// The first child element with this local name.
pub fn child<'a, 'i>(node: Node<'a, 'i>, local: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|n| n.is_element() && n.tag_name().name() == local)
}

/// Every descendant element with this local name, in document order.
pub fn descendants<'a, 'i>(
    node: Node<'a, 'i>,
    local: &'static str,
) -> impl Iterator<Item = Node<'a, 'i>> {
    node.descendants()
        .filter(move |n| n.is_element() && n.tag_name().name() == local)
}

/// The text of every `w:t` (and `m:t`, `a:t`) below `node`, for naming what was dropped.
pub fn all_text(node: Node) -> String {
    node.descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "t")
        .filter_map(|n| n.text())
        .collect()
}
