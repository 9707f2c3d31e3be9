/* The contributors' editor in Vietnamese: the phrases Decap's own Vietnamese locale
   (decap-cms-locales, vi) leaves in English, merged over it. Loaded after decap-cms.js,
   before the editor renders (Decap reads the phrases when the configuration is loaded).
   Keys: decap-cms-locales/src/en/index.js. */
(function (CMS) {
  'use strict';
  var phrases = {
    auth: {
      loginWithAzure: 'Đăng nhập bằng Azure',
      loginWithForgejo: 'Đăng nhập bằng Forgejo',
    },
    collection: {
      collectionTop: { viewAsList: 'Xem dạng danh sách', viewAsGrid: 'Xem dạng lưới', groupBy: 'Nhóm theo' },
      entries: { unpublishedHeader: 'Chưa đăng' },
      groups: { other: 'Khác', negateLabel: 'Không %{label}' },
    },
    editor: {
      // Decap names the widget ("string", "list") here: not a word for officials.
      editorControl: { field: { widgetLabel: 'Trường nhập liệu' } },
      editorControlPane: {
        widget: {
          // Our patterns carry a whole Vietnamese message ("tối đa 200 ký tự"), not a regex.
          regexPattern: '%{fieldLabel}: %{pattern}.',
        },
        i18n: {
          writingInLocale: 'Đang viết bằng %{locale}',
          copyFromLocale: 'Chép từ ngôn ngữ khác',
          copyFromLocaleConfirm: 'Chép nội dung từ ngôn ngữ %{locale}?\nToàn bộ nội dung hiện có sẽ bị ghi đè.',
        },
      },
      editorInterface: {
        toggleI18n: 'Bật/tắt đa ngôn ngữ',
        togglePreview: 'Bật/tắt xem trước',
        toggleScrollSync: 'Cuộn đồng thời',
        toggleNotes: 'Bật/tắt ghi chú',
      },
      editorNotesPane: {
        title: 'Ghi chú',
        emptyState: 'Chưa có ghi chú. Thêm ghi chú đầu tiên ở dưới.',
        addNote: 'Thêm ghi chú',
        addPlaceholder: 'Thêm ghi chú...',
        editPlaceholder: 'Sửa ghi chú...',
        save: 'Lưu',
        cancel: 'Huỷ',
        edit: 'Sửa',
        delete: 'Xoá',
        resolve: 'Đã xử lý',
        unresolve: 'Chưa xử lý',
        confirmDelete: 'Bạn chắc chắn muốn xoá ghi chú này?',
        shortcut: 'Mẹo: bấm Ctrl+Enter để thêm ghi chú nhanh',
      },
      editorToolbar: {
        statusInfoTooltipDraft: 'Bài đang ở trạng thái bản nháp. Để gửi duyệt, chuyển trạng thái sang “Đang duyệt”.',
        statusInfoTooltipInReview: 'Bài đang được duyệt, bạn không cần làm gì thêm. Bạn vẫn có thể sửa trong lúc bài được duyệt.',
      },
      editorWidgets: {
        markdown: {
          bold: 'Đậm',
          italic: 'Nghiêng',
          strikethrough: 'Gạch ngang',
          code: 'Mã',
          link: 'Liên kết',
          linkPrompt: 'Nhập địa chỉ của liên kết',
          headings: 'Tiêu đề mục',
          quote: 'Trích dẫn',
          bulletedList: 'Danh sách dấu chấm',
          numberedList: 'Danh sách đánh số',
          addComponent: 'Chèn thành phần',
          richText: 'Soạn thảo',
          markdown: 'Mã Markdown',
          toggleMode: { rich: 'Chuyển sang chế độ soạn thảo', markdown: 'Chuyển sang chế độ mã Markdown' },
        },
        image: {
          chooseMultiple: 'Chọn ảnh',
          chooseUrl: 'Chèn từ địa chỉ',
          replaceUrl: 'Thay bằng địa chỉ',
          promptUrl: 'Nhập địa chỉ của ảnh',
          addMore: 'Thêm ảnh',
          removeAll: 'Xoá tất cả ảnh',
        },
        file: {
          chooseUrl: 'Chèn từ địa chỉ',
          chooseMultiple: 'Chọn tệp',
          replaceUrl: 'Thay bằng địa chỉ',
          promptUrl: 'Nhập địa chỉ của tệp',
          addMore: 'Thêm tệp',
          removeAll: 'Xoá tất cả tệp',
        },
        datetime: { setToNow: 'Đặt %{fieldLabel} là bây giờ' },
        list: { add: 'Thêm %{item}', addType: 'Thêm %{item}' },
        object: { expand: 'Mở rộng', collapse: 'Thu gọn' },
      },
    },
    mediaLibrary: {
      mediaLibraryCard: {
        copy: 'Sao chép',
        copyUrl: 'Sao chép địa chỉ',
        copyPath: 'Sao chép đường dẫn',
        copyName: 'Sao chép tên',
        copied: 'Đã sao chép',
      },
      mediaLibraryModal: { close: 'Đóng' },
    },
    ui: {
      settingsDropdown: { account: 'Tài khoản' },
      toast: {
        noteAdded: 'Đã thêm ghi chú',
        onFailToAddNote: 'Không thêm được ghi chú: %{details}',
        noteUpdated: 'Đã sửa ghi chú',
        onFailToUpdateNote: 'Không sửa được ghi chú: %{details}',
        noteDeleted: 'Đã xoá ghi chú',
        onFailToDeleteNote: 'Không xoá được ghi chú: %{details}',
        noteResolved: 'Ghi chú đã xử lý',
        noteReopened: 'Ghi chú mở lại',
        onFailToToggleNote: 'Không đổi được trạng thái ghi chú: %{details}',
      },
    },
    workflow: {
      // Decap's Vietnamese locale says 'D MMMM', which its English month names turn into
      // "2 December": the portal writes dates as dd/mm/yyyy.
      workflow: { dateFormat: 'DD/MM/YYYY' },
    },
  };

  function merge(target, source) {
    Object.keys(source).forEach(function (key) {
      var value = source[key];
      if (value && typeof value === 'object') {
        target[key] = merge(target[key] && typeof target[key] === 'object' ? target[key] : {}, value);
      } else {
        target[key] = value;
      }
    });
    return target;
  }

  CMS.registerLocale('vi', merge(merge({}, CMS.getLocale('vi') || {}), phrases));

  // The select widget's library (react-select) names the button that takes a chosen
  // value out "Remove <value>", outside Decap's phrases: said in Vietnamese instead.
  function relabel(root) {
    var buttons = root.querySelectorAll ? root.querySelectorAll('[aria-label^="Remove "]') : [];
    Array.prototype.forEach.call(buttons, function (el) {
      el.setAttribute('aria-label', 'Bỏ ' + el.getAttribute('aria-label').slice('Remove '.length));
    });
  }
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      if (change.type === 'attributes') relabel(change.target.parentNode || document);
      change.addedNodes.forEach(function (node) { if (node.nodeType === 1) relabel(node.parentNode || node); });
    });
  }).observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label'] });
})(window.CMS);
