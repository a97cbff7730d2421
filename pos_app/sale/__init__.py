"""The sale at the till, without Qt: cart, order, payment rules, finishing the sale."""
